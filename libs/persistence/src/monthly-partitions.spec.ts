import {
  addDays,
  addMonths,
  addMonthsToDay,
  createDaySql,
  dayOfPartition,
  dayPartitionName,
  dayStart,
  rangeOfPartition,
  retentionCutoff,
  createMonthSql,
  monthOfPartition,
  monthPartitionName,
  monthStart,
  monthsToCover,
} from './monthly-partitions';

describe('monthly partitions (decision 0056)', () => {
  const december = new Date('2026-12-01T00:00:00Z');

  it('names a month after the table and reads the month back from the name', () => {
    expect(monthStart(new Date('2026-12-31T23:59:59.999Z'))).toEqual(december);
    expect(monthPartitionName('enforcement.checks', december)).toBe('checks_p202612');
    expect(monthOfPartition('enforcement.checks', 'checks_p202612')).toEqual(december);
    expect(monthOfPartition('enforcement.checks', 'checks_default')).toBeUndefined();
    expect(monthOfPartition('enforcement.checks', 'check_decisions_p202612')).toBeUndefined();
  });

  it('bounds a month from its first instant to the next month’s, in UTC', () => {
    expect(addMonths(december, 1)).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(addMonths(december, -12)).toEqual(new Date('2025-12-01T00:00:00Z'));
    expect(createMonthSql('tracking.trail_records', december)).toMatch(
      /tracking\.trail_records_p202612 PARTITION OF tracking\.trail_records\s+FOR VALUES FROM \('2026-12-01T00:00:00\.000Z'\) TO \('2027-01-01T00:00:00\.000Z'\)/,
    );
  });

  it('covers every month from the oldest row to the months ahead', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    expect(monthsToCover(new Date('2026-10-20T00:00:00Z'), now, 2).map((m) => m.toISOString())).toEqual([
      '2026-10-01T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
      '2027-02-01T00:00:00.000Z',
    ]);
    expect(monthsToCover(null, now, 0)).toEqual([december]);
  });

  it('refuses a name that is not a schema-qualified table', () => {
    expect(() => monthPartitionName('checks', december)).toThrow(/schema-qualified/);
    expect(() => monthPartitionName('enforcement.checks; DROP', december)).toThrow(/schema-qualified/);
  });

  it('names a day after the table, reads the day back, and tells it from a month (decision 0071)', () => {
    const day = new Date('2026-12-03T00:00:00Z');
    expect(dayStart(new Date('2026-12-03T23:59:59.999Z'))).toEqual(day);
    expect(dayPartitionName('enforcement.checks', day)).toBe('checks_p20261203');
    expect(dayOfPartition('enforcement.checks', 'checks_p20261203')).toEqual(day);
    expect(dayOfPartition('enforcement.checks', 'checks_p202612')).toBeUndefined();
    expect(monthOfPartition('enforcement.checks', 'checks_p20261203')).toBeUndefined();
    expect(rangeOfPartition('enforcement.checks', 'checks_p20261231')).toEqual({
      from: new Date('2026-12-31T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
    });
    expect(rangeOfPartition('enforcement.checks', 'checks_p202612')).toEqual({
      from: december,
      to: new Date('2027-01-01T00:00:00Z'),
    });
    expect(rangeOfPartition('enforcement.checks', 'checks_default')).toBeUndefined();
    expect(createDaySql('enforcement.checks', day)).toMatch(
      /FOR VALUES FROM \('2026-12-03T00:00:00\.000Z'\) TO \('2026-12-04T00:00:00\.000Z'\)/,
    );
    expect(addDays(day, 29)).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it('cuts a daily retention a whole number of months back, the day kept or the month’s last', () => {
    expect(addMonthsToDay(new Date('2026-03-31T00:00:00Z'), -1)).toEqual(new Date('2026-02-28T00:00:00Z'));
    expect(addMonthsToDay(new Date('2024-03-31T00:00:00Z'), -1)).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(addMonthsToDay(new Date('2026-12-03T00:00:00Z'), -60)).toEqual(new Date('2021-12-03T00:00:00Z'));
    const now = new Date('2026-12-03T12:00:00Z');
    expect(retentionCutoff(now, 12, 'day')).toEqual(new Date('2025-12-03T00:00:00Z'));
    expect(retentionCutoff(now, 12, 'month')).toEqual(new Date('2025-12-01T00:00:00Z'));
  });
});
