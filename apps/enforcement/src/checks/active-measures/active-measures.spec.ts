import pino from 'pino';
import { CacheInvalidationChannel, InvalidationListener } from '../../cache/invalidation-channel';
import { ActiveMeasures } from './active-measures';
import { InMemoryMeasureQueries, rowId } from './measure-queries.fake';

/** The invalidation channel as Redis pub/sub would behave, with its connection in the test's hands. */
class TestChannel extends CacheInvalidationChannel {
  private readonly listeners: InvalidationListener[] = [];
  up = true;
  listen(listener: InvalidationListener): void {
    this.listeners.push(listener);
    if (this.up) listener.connected();
  }
  async announce(keys: string[]): Promise<void> {
    if (!this.up) throw new Error('channel down');
    for (const l of this.listeners) l.message(JSON.stringify(keys));
  }
  lose(): void {
    this.up = false;
    for (const l of this.listeners) l.lost();
  }
  reconnect(): void {
    this.up = true;
    for (const l of this.listeners) l.connected();
  }
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const ids = (measures: { assignmentId: string }[] | undefined) => measures?.map((m) => m.assignmentId);

describe('ActiveMeasures (composed, without PostgreSQL or Redis)', () => {
  let queries: InMemoryMeasureQueries;
  let channel: TestChannel;
  let active: ActiveMeasures;

  beforeEach(async () => {
    queries = new InMemoryMeasureQueries();
    for (let i = 1; i <= 1200; i += 1) queries.put({ id: rowId(i), targetId: `T${i}` });
    queries.put({ id: rowId(5000), targetId: 'S', legacyIds: ['L-S'] });
    channel = new TestChannel();
    active = new ActiveMeasures(queries, channel, pino({ enabled: false }));
    active.onModuleInit();
    await until(() => active.complete, 'the complete index');
  });

  afterEach(() => active.beforeApplicationShutdown());

  it('answers from the complete index at once, without a query, subjects without measures too', async () => {
    const misses = queries.calls.bindingUnder;
    expect(ids(active.known('T7'))).toEqual([rowId(7)]);
    expect(ids(active.known('L-S'))).toEqual([rowId(5000)]);
    expect(active.known('NOBODY')).toEqual([]);
    expect(ids(await active.forSubject('T8'))).toEqual([rowId(8)]);
    expect(queries.calls.bindingUnder).toBe(misses);
    expect(active.cacheSize).toBe(1202);
  });

  it('an announced lift reaches the answer: read again from the truth, then from memory', async () => {
    queries.setStatus(rowId(7), 'lifted');
    active.invalidate(['T7']);
    expect(active.known('T7')).toBeUndefined(); // dirty: not answered from memory
    expect(await active.forSubject('T7')).toEqual([]); // from the truth
    await until(() => active.known('T7') !== undefined, 'T7 read again');
    expect(active.known('T7')).toEqual([]);
  });

  it('the backstop catches a lift never announced, and a pass over nothing new counts as unchanged', async () => {
    await active.backstop(); // the first pass after the read
    const unchanged = active.unchangedBackstops;
    await active.backstop();
    expect(active.unchangedBackstops).toBe(unchanged + 1);
    const listed = queries.calls.versionsPage;

    queries.setStatus(rowId(9), 'lifted'); // behind its back
    expect(ids(active.known('T9'))).toEqual([rowId(9)]);
    await active.backstop();
    expect(active.known('T9')).toEqual([]);
    expect(active.unchangedBackstops).toBe(unchanged + 1);
    expect(queries.calls.versionsPage).toBe(listed); // only the rows written since: no whole listing
  });

  it('identifiers announced while the whole set is read are read again once it is in place', async () => {
    let open!: () => void;
    queries.gate = new Promise((r) => (open = r));
    channel.lose();
    channel.reconnect(); // a whole read starts, held at the gate
    queries.setStatus(rowId(3), 'lifted');
    active.invalidate(['T3']);
    queries.gate = undefined;
    open();
    await until(() => active.complete, 'the complete index');
    await active.backstop();
    expect(active.known('T3')).toEqual([]);
  });

  it('without the channel: no memory, every check from the truth, and back to an index once reconnected', async () => {
    channel.lose();
    expect(active.complete).toBe(false);
    expect(active.usingCache).toBe(false);
    expect(active.cacheSize).toBe(0);
    queries.setStatus(rowId(4), 'lifted'); // unannounced: the channel is down
    const before = queries.calls.bindingUnder;
    expect(await active.forSubject('T4')).toEqual([]);
    expect(await active.forSubject('T4')).toEqual([]);
    expect(queries.calls.bindingUnder).toBe(before + 2); // nothing cached
    channel.reconnect();
    await until(() => active.complete, 'the complete index again');
    expect(active.known('T4')).toEqual([]);
  });

  it('a miss read while an invalidation came is not cached', async () => {
    channel.lose();
    let open!: () => void;
    queries.gate = new Promise((r) => (open = r));
    channel.reconnect(); // listening, the whole read held: misses are read and may be cached
    const read = active.forSubject('T2');
    active.invalidate(['T2']);
    queries.gate = undefined;
    open();
    await read;
    await until(() => active.complete, 'the complete index');
    expect(active.cacheSize).toBe(1202); // the index only: the overlapped miss was not kept
  });
});
