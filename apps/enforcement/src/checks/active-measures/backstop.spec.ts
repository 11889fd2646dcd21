import { Backstop } from './backstop';
import { InMemoryMeasureQueries, rowId } from './measure-queries.fake';
import { readWholeSet } from './whole-set-reader';

/** A set of `n` binding rows read whole, as the index holds it after start-up. */
async function held(n: number) {
  const queries = new InMemoryMeasureQueries();
  for (let i = 1; i <= n; i += 1) queries.put({ id: rowId(i), targetId: `T${i}` });
  const index = (await readWholeSet(queries, { intact: () => true, maxRows: 1e6 }))!;
  const marked = new Set<string>();
  const run = { intact: () => true, mark: (keys: Set<string>) => keys.forEach((k) => marked.add(k)) };
  return { queries, index, marked, run };
}

describe('Backstop', () => {
  it('reads one statement and marks nothing when nothing was written', async () => {
    const { queries, index, marked, run } = await held(1200);
    const backstop = new Backstop(queries, 100, 0);
    expect(await backstop.pass(index, run)).toBe('nothing');
    expect(queries.calls.changedSince).toBe(1);
    expect(queries.calls.versionsPage).toBe(0);
    expect(marked.size).toBe(0);
  });

  it('costs the changes, not the set: one row lifted behind its back among thousands', async () => {
    const { queries, index, marked, run } = await held(3000);
    queries.setStatus(rowId(1500), 'lifted');
    const backstop = new Backstop(queries, 100, 0);
    expect(await backstop.pass(index, run)).toBe('changes');
    expect([...marked]).toEqual(['T1500']);
    expect(queries.calls).toMatchObject({ changedSince: 1, versionsPage: 0, bindingById: 0 });
    // the watermark moved on: the lift is not read again
    marked.clear();
    expect(await backstop.pass(index, run)).toBe('nothing');
    expect(marked.size).toBe(0);
  });

  it('marks a row rebound, a row re-targeted and a new row, under old and new identifiers', async () => {
    const { queries, index, marked, run } = await held(10);
    queries.put({ id: rowId(2), targetId: 'T2-NEW' });
    queries.put({ id: rowId(11), targetId: 'T11', legacyIds: ['L11'] });
    await new Backstop(queries, 100, 0).pass(index, run);
    expect([...marked].sort()).toEqual(['L11', 'T11', 'T2', 'T2-NEW']);
  });

  it('catches a transaction that began before a pass and committed after it (out of id order)', async () => {
    const { queries, index, marked, run } = await held(10);
    const backstop = new Backstop(queries, 100, 0);
    const slow = queries.begin(); // took its transaction id before the pass
    queries.put({ id: rowId(12), targetId: 'T12' }); // a later transaction, committed first
    await backstop.pass(index, run);
    expect([...marked]).toEqual(['T12']);
    slow.put({ id: rowId(3), targetId: 'T3', status: 'lifted' }); // commits after the pass read
    marked.clear();
    await backstop.pass(index, run);
    expect([...marked]).toEqual(['T3']);
  });

  it('lists the whole set when more rows changed than one read takes', async () => {
    const { queries, index, marked, run } = await held(1200);
    for (let i = 1; i <= 5; i += 1) queries.setStatus(rowId(i * 100), 'lifted');
    const backstop = new Backstop(queries, 3, 0);
    expect(await backstop.pass(index, run)).toBe('listed');
    expect(queries.calls.versionsPage).toBe(3); // 1,195 rows in pages of 500
    expect([...marked].sort()).toEqual(['T100', 'T200', 'T300', 'T400', 'T500']);
    expect(index.rows).toBe(1195);
  });

  it('lists the whole set when the binding count reveals a deleted row', async () => {
    const { queries, index, marked, run } = await held(10);
    queries.delete(rowId(4));
    expect(await new Backstop(queries, 100, 0).pass(index, run)).toBe('listed');
    expect([...marked]).toEqual(['T4']);
    expect(index.rows).toBe(9);
  });

  it('counts a pass as unchanged when it marked nothing and nothing was announced since the last', async () => {
    const { queries, index, run } = await held(10);
    const backstop = new Backstop(queries, 100, 0);
    await backstop.pass(index, run);
    expect(backstop.unchangedPasses).toBe(1);
    backstop.announced();
    await backstop.pass(index, run); // an announcement came since the last pass
    expect(backstop.unchangedPasses).toBe(1);
    queries.setStatus(rowId(1), 'lifted');
    const marking = { ...run, mark: () => backstop.announced() }; // as ActiveMeasures marks
    expect(await backstop.pass(index, marking)).toBe('changes');
    await backstop.pass(index, run); // the pass after one that marked rows itself
    expect(backstop.unchangedPasses).toBe(1);
    await backstop.pass(index, run);
    expect(backstop.unchangedPasses).toBe(2);
  });

  it('changes nothing once the index it works for was replaced', async () => {
    const { queries, index, marked } = await held(10);
    queries.setStatus(rowId(1), 'lifted');
    const watermark = index.watermark;
    const outcome = await new Backstop(queries, 100, 0).pass(index, {
      intact: () => false,
      mark: (keys) => keys.forEach((k) => marked.add(k)),
    });
    expect(outcome).toBe('abandoned');
    expect(marked.size).toBe(0);
    expect(index.watermark).toBe(watermark);
  });
});
