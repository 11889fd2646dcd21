import pino from 'pino';
import {
  CacheInvalidationChannel,
  encodeAnnouncement,
  InvalidationListener,
} from '../../cache/invalidation-channel';
import { ActiveMeasure, decide } from '../check-decision';
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
  async announce(keys: string[], endedEntries?: string[]): Promise<void> {
    if (!this.up) throw new Error('channel down');
    for (const l of this.listeners) l.message(encodeAnnouncement(keys, endedEntries));
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

  it("an ended entry leaves every replica's memory at once, no read first; another entry keeps binding", async () => {
    queries.put({ id: rowId(6000), targetId: 'T7' }); // a second entry binding T7
    active.invalidate(['T7']);
    const other = new ActiveMeasures(queries, channel, pino({ enabled: false }));
    other.onModuleInit();
    try {
      await until(() => active.known('T7')?.length === 2, 'T7 read again');
      await until(() => other.complete, "the other replica's index");
      const reads = queries.calls.bindingUnder;
      const ended = `entry-${rowId(7)}`;

      active.dropEnded([ended], ['T7']); // heard: the end is not written yet
      expect(ids(active.known('T7'))).toEqual([rowId(6000)]);
      expect(ids(other.known('T7'))).toEqual([rowId(6000)]);
      queries.setStatus(rowId(7), 'lifted'); // the end written
      active.dropEnded([ended], ['T7']); // after the commit, and a replay: nothing changes
      active.dropEnded([ended], ['T7']);
      expect(ids(active.known('T7'))).toEqual([rowId(6000)]);
      expect(ids(other.known('T7'))).toEqual([rowId(6000)]);
      expect(queries.calls.bindingUnder).toBe(reads); // answered from memory, not read

      // the backstop finds the row rewritten, reads T7 again and agrees
      await active.backstop();
      await other.backstop();
      expect(ids(active.known('T7'))).toEqual([rowId(6000)]);
      expect(ids(other.known('T7'))).toEqual([rowId(6000)]);
    } finally {
      await other.beforeApplicationShutdown();
    }
  });

  describe("a company's end heard: its related persons' checks too (decision 0067)", () => {
    const NOW = new Date('2026-06-01T00:00:00Z');
    const answer = (measures: ActiveMeasure[] | undefined) =>
      measures && decide(measures, 'government_procurement_bid', NOW).decision;

    beforeEach(async () => {
      // the company's entry reaches its legal representative and its principal person
      queries.put({ id: rowId(7001), targetId: 'CO', entryId: 'E-CO' });
      queries.put({ id: rowId(7002), targetId: 'REP', subjectId: 'CO', entryId: 'E-CO' });
      queries.put({ id: rowId(7003), targetId: 'PRIN', subjectId: 'CO', entryId: 'E-CO' });
      // and other entries on the same keys: the company's second listing, the representative's own
      queries.put({ id: rowId(7004), targetId: 'CO', entryId: 'E-CO-2' });
      queries.put({ id: rowId(7005), targetId: 'REP', entryId: 'E-REP' });
      active.invalidate(['CO', 'REP', 'PRIN']);
      await until(() => ['CO', 'REP', 'PRIN'].every((k) => active.known(k) !== undefined), 'read again');
    });

    it("every replica allows the principal at once, no read; the others' entries keep blocking", async () => {
      const other = new ActiveMeasures(queries, channel, pino({ enabled: false }));
      other.onModuleInit();
      try {
        await until(() => other.complete, "the other replica's index");
        for (const r of [active, other]) expect(answer(r.known('PRIN'))).toBe('block');
        const reads = queries.calls.bindingUnder;

        // heard as the end's event names it: the listed subject's identifiers only, the end not written
        active.dropEnded(['E-CO'], ['CO']);
        for (const r of [active, other]) {
          expect(answer(r.known('PRIN'))).toBe('allow');
          expect(ids(r.known('REP'))).toEqual([rowId(7005)]);
          expect(answer(r.known('REP'))).toBe('block');
          expect(ids(r.known('CO'))).toEqual([rowId(7004)]);
          expect(answer(r.known('CO'))).toBe('block');
        }
        expect(queries.calls.bindingUnder).toBe(reads); // from memory, not read

        // the end written; the commit's drop names every identifier, and the backstop agrees
        for (const id of [7001, 7002, 7003]) queries.setStatus(rowId(id), 'lifted');
        active.dropEnded(['E-CO'], ['CO', 'REP', 'PRIN']);
        for (const r of [active, other]) {
          await r.backstop();
          expect(ids(r.known('PRIN'))).toEqual([]);
          expect(ids(r.known('REP'))).toEqual([rowId(7005)]);
          expect(ids(r.known('CO'))).toEqual([rowId(7004)]);
        }
      } finally {
        await other.beforeApplicationShutdown();
      }
    });

    it('a related person read from PostgreSQL before the end is written is answered without it', async () => {
      active.dropEnded(['E-CO'], ['CO']);
      // another change of the representative announced: dirty, read from PostgreSQL, where E-CO still binds
      active.invalidate(['REP', 'PRIN']);
      expect(active.known('REP')).toBeUndefined();
      expect(ids(await active.forSubject('REP'))).toEqual([rowId(7005)]);
      expect(answer(await active.forSubject('PRIN'))).toBe('allow');
      // read again into memory before the end is written: still without it
      await until(() => active.known('REP') !== undefined && active.known('PRIN') !== undefined, 'read');
      expect(ids(active.known('REP'))).toEqual([rowId(7005)]);
      expect(answer(active.known('PRIN'))).toBe('allow');
      expect(answer(active.known('REP'))).toBe('block');
    });
  });

  it('an end heard while the whole set is read: its keys are read again once the set is in place', async () => {
    let open!: () => void;
    queries.gate = new Promise((r) => (open = r));
    channel.lose();
    channel.reconnect(); // a whole read starts, held at the gate: it will see row 3 binding
    active.dropEnded([`entry-${rowId(3)}`], ['T3']);
    queries.setStatus(rowId(3), 'lifted');
    queries.gate = undefined;
    open();
    await until(() => active.complete, 'the complete index');
    await until(() => active.known('T3') !== undefined, 'T3 read again');
    expect(active.known('T3')).toEqual([]);
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
