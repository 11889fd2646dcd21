import { distinctFromSketch, summaryReads, wholeBeijingDays } from './check-log-summary.queries';

const at = (iso: string) => new Date(iso);

describe('summaryReads (which part of a period the rollups answer, decision 0072)', () => {
  it('reads a period on the hour from the rollups alone', () => {
    expect(summaryReads({ from: at('2026-12-01T00:00:00Z'), to: at('2026-12-02T00:00:00Z') })).toEqual({
      rollup: { from: at('2026-12-01T00:00:00Z'), to: at('2026-12-02T00:00:00Z') },
      rows: [],
    });
  });

  it('reads the part of an hour at either end from the rows, the whole hours between from the rollups', () => {
    expect(
      summaryReads({ from: at('2026-12-01T07:59:59.999Z'), to: at('2026-12-01T16:00:00.001Z') }),
    ).toEqual({
      rollup: { from: at('2026-12-01T08:00:00Z'), to: at('2026-12-01T16:00:00Z') },
      rows: [
        { from: at('2026-12-01T07:59:59.999Z'), to: at('2026-12-01T08:00:00Z') },
        { from: at('2026-12-01T16:00:00Z'), to: at('2026-12-01T16:00:00.001Z') },
      ],
    });
  });

  it('reads a period within one hour from the rows only, and an empty period not at all', () => {
    const from = at('2026-12-01T08:10:00Z');
    const to = at('2026-12-01T08:50:00Z');
    expect(summaryReads({ from, to })).toEqual({ rollup: null, rows: [{ from, to }] });
    expect(summaryReads({ from: to, to: from })).toEqual({ rollup: null, rows: [] });
    // a period inside one hour that ends on the next: still rows only
    expect(summaryReads({ from, to: at('2026-12-01T09:00:00Z') })).toEqual({
      rollup: null,
      rows: [{ from, to: at('2026-12-01T09:00:00Z') }],
    });
  });

  it('leaves an end out as the caller did: unbounded on the rollups', () => {
    expect(summaryReads({})).toEqual({ rollup: { from: undefined, to: undefined }, rows: [] });
    expect(summaryReads({ from: at('2026-12-01T08:30:00Z') })).toEqual({
      rollup: { from: at('2026-12-01T09:00:00Z'), to: undefined },
      rows: [{ from: at('2026-12-01T08:30:00Z'), to: at('2026-12-01T09:00:00Z') }],
    });
    expect(summaryReads({ to: at('2026-12-01T08:30:00Z') })).toEqual({
      rollup: { from: undefined, to: at('2026-12-01T08:00:00Z') },
      rows: [{ from: at('2026-12-01T08:00:00Z'), to: at('2026-12-01T08:30:00Z') }],
    });
  });
});

describe('wholeBeijingDays (which periods the day rollup answers, decision 0079)', () => {
  it('takes periods from and to 00:00 Beijing (16:00 UTC), or open at either end', () => {
    expect(wholeBeijingDays({ from: at('2026-11-30T16:00:00Z'), to: at('2026-12-01T16:00:00Z') })).toBe(true);
    expect(wholeBeijingDays({ from: at('2026-12-01T00:00:00+08:00') })).toBe(true);
    expect(wholeBeijingDays({})).toBe(true);
  });

  it('leaves UTC days and hours to the hourly rollup', () => {
    expect(wholeBeijingDays({ from: at('2026-12-01T00:00:00Z'), to: at('2026-12-02T00:00:00Z') })).toBe(
      false,
    );
    expect(wholeBeijingDays({ from: at('2026-11-30T16:00:00Z'), to: at('2026-12-01T17:00:00Z') })).toBe(
      false,
    );
  });
});

describe('distinctFromSketch (k minimum values, decision 0079)', () => {
  it('counts exactly below k hashes', () => {
    expect(distinctFromSketch(3, -5n, 8)).toEqual({ count: 3, estimated: false });
    expect(distinctFromSketch(0, null, 8)).toEqual({ count: 0, estimated: false });
  });

  it('estimates from the k-th smallest hash: k − 1 over its place in the hash range', () => {
    // the 8th smallest of n uniform hashes sits near 8/n of the range: at a thousandth, n ≈ 7,000
    const largest = -(2n ** 63n) + 2n ** 64n / 1000n;
    expect(distinctFromSketch(8, largest, 8)).toEqual({ count: 7000, estimated: true });
  });
});
