import { ageBucket, applicationRateOption, dailyOption, hitsOption, overdueOption, totalsOf } from './charts';

const STATS = {
  items: [
    { dept: 'POLICE', assigned: 10, acknowledged: 8, enforced: 6 },
    { dept: 'FINANCE', assigned: 4, acknowledged: 4, enforced: 1 },
  ],
  applicationRate: {
    threshold: 0.5,
    departments: 2,
    applying: 1,
    rate: 0.5,
    byDepartment: [
      { dept: 'FINANCE', assigned: 4, acted: 1, share: 0.25, applies: false },
      { dept: 'POLICE', assigned: 10, acted: 6, share: 0.6, applies: true },
    ],
  },
};

describe('chart data mapping', () => {
  it('draws the application rate per department in percent, highest first, with the threshold', () => {
    const option = applicationRateOption(STATS, { POLICE: '公安局' });
    expect(option.xAxis.data).toEqual(['公安局', 'FINANCE']);
    expect(option.series[0].data.map((d) => d.value)).toEqual([60, 25]);
    expect(option.series[0].data.map((d) => d.itemStyle.color)).toEqual(['#52c41a', '#fa541c']);
    expect(option.series[0].markLine.data[0].yAxis).toBe(50);
  });

  it('stacks overdue assignments by department and age', () => {
    const option = overdueOption([
      { dept: 'POLICE', ageDays: 1 },
      { dept: 'POLICE', ageDays: 12 },
      { dept: 'TAX', ageDays: 45 },
      { dept: 'POLICE', ageDays: 3 },
    ]);
    expect(option.xAxis.data).toEqual(['POLICE', 'TAX']);
    const byBucket = Object.fromEntries(option.series.map((s) => [s.name, s.data]));
    expect(byBucket['≤3天']).toEqual([2, 0]);
    expect(byBucket['11–30天']).toEqual([1, 0]);
    expect(byBucket['>30天']).toEqual([0, 1]);
    expect(ageBucket(4)).toBe('4–10天');
  });

  it('orders the days and plots what was issued', () => {
    const option = dailyOption({
      items: [
        { day: '2026-03-02', assigned: 5 },
        { day: '2026-03-01', assigned: 2 },
      ],
    });
    expect(option.xAxis.data).toEqual(['2026-03-01', '2026-03-02']);
    expect(option.series[0].data).toEqual([2, 5]);
  });

  it('plots checks, hits and decided hits per department', () => {
    const option = hitsOption({ items: [{ dept: 'ZC', checks: 9, hits: 3, hitsDecided: 2 }] });
    expect(option.series.map((s) => s.data[0])).toEqual([9, 3, 2]);
  });

  it('adds up the headline figures from the same answer', () => {
    expect(totalsOf(STATS)).toEqual({ assigned: 14, acknowledged: 12, enforced: 7, applicationRate: 0.5 });
  });
});
