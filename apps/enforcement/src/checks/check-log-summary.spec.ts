import { distinctFromSketch, subjectSources, summaryReads } from './check-log-summary.queries';

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

describe('subjectSources (where a period’s subjects are read, decisions 0079 and 0081)', () => {
  const day = (iso: string) => at(`${iso}T00:00:00+08:00`);

  it('reads whole Beijing days (00:00 Beijing, 16:00 UTC) from the day rollup alone, open ends unbounded', () => {
    expect(subjectSources({ from: day('2026-12-01'), to: day('2026-12-03') })).toEqual({
      whole: { from: day('2026-12-01'), last: day('2026-12-02') },
      edges: [],
    });
    expect(subjectSources({ from: day('2026-12-01') })).toEqual({
      whole: { from: day('2026-12-01'), last: undefined },
      edges: [],
    });
    expect(subjectSources({})).toEqual({ whole: { from: undefined, last: undefined }, edges: [] });
  });

  it('reads the part of a day at either end apart, the whole days between from the rollup', () => {
    const [from, to] = [at('2026-12-01T03:00:00Z'), at('2026-12-03T05:30:00Z')]; // 11:00, 13:30 Beijing
    expect(subjectSources({ from, to })).toEqual({
      whole: { from: day('2026-12-02'), last: day('2026-12-02') },
      edges: [
        { day: day('2026-12-01'), from, to: day('2026-12-02') },
        { day: day('2026-12-03'), from: day('2026-12-03'), to },
      ],
    });
    // UTC days are two parts of Beijing days, and no whole one
    expect(subjectSources({ from: at('2026-12-01T00:00:00Z'), to: at('2026-12-02T00:00:00Z') })).toEqual({
      whole: null,
      edges: [
        { day: day('2026-12-01'), from: at('2026-12-01T00:00:00Z'), to: day('2026-12-02') },
        { day: day('2026-12-02'), from: day('2026-12-02'), to: at('2026-12-02T00:00:00Z') },
      ],
    });
    expect(subjectSources({ to: at('2026-12-01T17:00:00Z') })).toEqual({
      whole: { from: undefined, last: day('2026-12-01') },
      edges: [{ day: day('2026-12-02'), from: day('2026-12-02'), to: at('2026-12-01T17:00:00Z') }],
    });
  });

  it('reads a period inside one day as one part, and an empty period not at all', () => {
    const [from, to] = [at('2026-12-01T02:00:00Z'), at('2026-12-01T03:00:00Z')];
    expect(subjectSources({ from, to })).toEqual({
      whole: null,
      edges: [{ day: day('2026-12-01'), from, to }],
    });
    expect(subjectSources({ from: day('2026-12-01'), to })).toEqual({
      whole: null,
      edges: [{ day: day('2026-12-01'), from: day('2026-12-01'), to }],
    });
    expect(subjectSources({ from: to, to: from })).toEqual({ whole: null, edges: [] });
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
