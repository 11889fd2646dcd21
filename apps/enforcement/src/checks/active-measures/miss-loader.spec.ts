import { InMemoryMeasureQueries, rowId } from './measure-queries.fake';
import { MissLoader } from './miss-loader';

describe('MissLoader', () => {
  it('answers misses that arrive together with one query, each with its own measures', async () => {
    const queries = new InMemoryMeasureQueries();
    queries.put({ id: rowId(1), targetId: 'A' });
    queries.put({ id: rowId(2), targetId: 'A' });
    queries.put({ id: rowId(3), targetId: 'B', legacyIds: ['L-B'] });
    queries.put({ id: rowId(4), targetId: 'P', subjectId: 'B' }); // a related person of B
    const loader = new MissLoader(queries);
    const [a, b, legacy, person, none] = await Promise.all(
      ['A', 'B', 'L-B', 'P', 'Z'].map((id) => loader.load(id)),
    );
    expect(queries.calls.bindingUnder).toBe(1);
    expect(a.map((m) => m.assignmentId)).toEqual([rowId(1), rowId(2)]);
    expect(b.map((m) => m.assignmentId)).toEqual([rowId(3)]);
    expect(legacy.map((m) => m.assignmentId)).toEqual([rowId(3)]);
    expect(person.map((m) => m.assignmentId)).toEqual([rowId(4)]);
    expect(none).toEqual([]);
  });

  it('batches misses of different turns of the event loop that arrive before the next check phase', async () => {
    const queries = new InMemoryMeasureQueries();
    const loader = new MissLoader(queries);
    const first = loader.load('A');
    await Promise.resolve(); // a later microtask, as another request's handler would be
    const second = loader.load('B');
    await Promise.all([first, second]);
    expect(queries.calls.bindingUnder).toBe(1);
  });

  it('asks at most the batch size per query', async () => {
    const queries = new InMemoryMeasureQueries();
    const loader = new MissLoader(queries, 2);
    await Promise.all(['A', 'B', 'C', 'D', 'E'].map((id) => loader.load(id)));
    expect(queries.asked.map((keys) => keys.length)).toEqual([2, 2, 1]);
  });

  it('keeps nothing: the next miss of the same identifier reads again', async () => {
    const queries = new InMemoryMeasureQueries();
    const loader = new MissLoader(queries);
    expect(await loader.load('A')).toEqual([]);
    queries.put({ id: rowId(1), targetId: 'A' });
    expect((await loader.load('A')).map((m) => m.assignmentId)).toEqual([rowId(1)]);
    expect(queries.calls.bindingUnder).toBe(2);
  });

  it('rejects every miss of a batch whose query failed', async () => {
    const queries = new InMemoryMeasureQueries();
    queries.failing = new Error('connection lost');
    const loader = new MissLoader(queries);
    const results = await Promise.allSettled([loader.load('A'), loader.load('B')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
