import { BindingIndex } from './binding-index';
import { DirtyReader } from './dirty-reader';
import { InMemoryMeasureQueries, rowId } from './measure-queries.fake';

const quiet = { warn: () => undefined };

/** Until no read is scheduled or under way and nothing is dirty (or 1 s). */
async function settled(reader: DirtyReader, index: BindingIndex) {
  const deadline = Date.now() + 1_000;
  while ((index.dirtyCount > 0 || reader.pending) && Date.now() < deadline) {
    await (reader.pending ?? new Promise((r) => setTimeout(r, 2)));
  }
}

describe('DirtyReader', () => {
  it('reads the dirty identifiers of one burst in one query and puts them in place', async () => {
    const queries = new InMemoryMeasureQueries();
    const index = new BindingIndex('0');
    const reader = new DirtyReader(queries, () => index, quiet);
    queries.put({ id: rowId(1), targetId: 'A' });
    queries.put({ id: rowId(2), targetId: 'B', legacyIds: ['LB'] });
    index.markDirty(['A', 'B', 'LB', 'C']);
    reader.schedule();
    reader.schedule();
    await settled(reader, index);
    expect(queries.calls.bindingUnder).toBe(1);
    expect(index.known('A')?.map((m) => m.assignmentId)).toEqual([rowId(1)]);
    expect(index.known('LB')?.map((m) => m.assignmentId)).toEqual([rowId(2)]);
    expect(index.known('C')).toEqual([]);
  });

  it('reads again an identifier that changed while it was being read', async () => {
    const queries = new InMemoryMeasureQueries();
    const index = new BindingIndex('0');
    const reader = new DirtyReader(queries, () => index, quiet);
    queries.put({ id: rowId(1), targetId: 'A' });
    let open!: () => void;
    queries.gate = new Promise((r) => (open = r));
    index.markDirty(['A']);
    reader.schedule();
    await new Promise((r) => setImmediate(r)); // the read is in flight
    queries.setStatus(rowId(1), 'lifted');
    index.markDirty(['A']); // announced meanwhile
    queries.gate = undefined;
    open();
    await settled(reader, index);
    expect(index.known('A')).toEqual([]);
    expect(queries.calls.bindingUnder).toBe(2);
  });

  it('puts nothing in an index that was replaced while it read', async () => {
    const queries = new InMemoryMeasureQueries();
    let index: BindingIndex | undefined = new BindingIndex('0');
    const first = index;
    const reader = new DirtyReader(queries, () => index, quiet);
    queries.put({ id: rowId(1), targetId: 'A' });
    let open!: () => void;
    queries.gate = new Promise((r) => (open = r));
    first.markDirty(['A']);
    reader.schedule();
    await new Promise((r) => setImmediate(r)); // the read is in flight
    index = undefined;
    open();
    await reader.pending;
    expect(queries.calls.bindingUnder).toBe(1);
    expect(first.known('A')).toBeUndefined();
  });

  it('retries after a failed read', async () => {
    const queries = new InMemoryMeasureQueries();
    const index = new BindingIndex('0');
    const warn = jest.fn();
    const reader = new DirtyReader(queries, () => index, { warn });
    queries.failing = new Error('connection lost');
    index.markDirty(['A']);
    reader.schedule();
    await new Promise((r) => setImmediate(r));
    await reader.pending;
    expect(warn).toHaveBeenCalled();
    queries.failing = undefined;
    await settled(reader, index);
    expect(index.known('A')).toEqual([]);
  });
});
