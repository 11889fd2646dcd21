import { summaryReads } from './check-log-summary.queries';

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
