import { applicationRateOption, dailyOption, hitsOption, overdueOption, totalsOf } from './charts';

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

  it('stacks overdue assignments by department, kind and level, the most overdue first', () => {
    const option = overdueOption(
      {
        items: [
          { dept: 'POLICE', kind: 'acknowledgement', level: 1, count: 2 },
          { dept: 'POLICE', kind: 'feedback', level: 2, count: 1 },
          { dept: 'TAX', kind: 'acknowledgement', level: 2, count: 4 },
        ],
        total: 7,
      },
      { TAX: '税务局' },
    );
    expect(option.xAxis.data).toEqual(['税务局', 'POLICE']);
    const byStack = Object.fromEntries(option.series.map((s) => [s.name, s.data]));
    expect(byStack).toEqual({
      '未签收·提醒': [0, 2],
      '未签收·已升级': [4, 0],
      '未反馈·提醒': [0, 0],
      '未反馈·已升级': [0, 1],
    });
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
