import pino from 'pino';
import {
  CacheInvalidationChannel,
  encodeAnnouncement,
  InvalidationListener,
} from '../../cache/invalidation-channel';
import { ActiveMeasures } from './active-measures';
import { IndexOwnership, Ownership, WHOLE } from './index-ownership';
import { keyPartition } from './key-partition';
import { InMemoryMeasureQueries, rowId } from './measure-queries.fake';

/** Redis pub/sub as every replica hears it: an announcement reaches all of them before `announce` resolves. */
class SharedChannel extends CacheInvalidationChannel {
  private readonly listeners: InvalidationListener[] = [];
  listen(listener: InvalidationListener): void {
    this.listeners.push(listener);
    listener.connected();
  }
  async announce(keys: string[], endedEntries?: string[]): Promise<void> {
    for (const l of this.listeners) l.message(encodeAnnouncement(keys, endedEntries));
  }
}

/** The Kafka group's assignment, in the test's hands. */
class TestOwnership extends IndexOwnership {
  readonly maxRows = 1_000_000;
  private listener?: (o: Ownership) => void;
  constructor(private current?: Ownership) {
    super();
  }
  watch(changed: (o: Ownership) => void): void {
    this.listener = changed;
    if (this.current) changed(this.current);
  }
  assign(next: Ownership): void {
    this.current = next;
    this.listener?.(next);
  }
}

const PARTITIONS = 6;
const TARGETS = 600;
/** 18 characters, like a unified social credit code: the identifiers the split index answers. */
const target = (i: number) => `91330106SCALE${String(i).padStart(5, '0')}`;
const log = pino({ enabled: false });

async function until(condition: () => boolean, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('the check index split by partition (decision 0055)', () => {
  let queries: InMemoryMeasureQueries;
  let channel: SharedChannel;
  /** binding rows per target: the truth a check must agree with */
  let truth: Map<string, Set<string>>;
  let replicas: ActiveMeasures[];

  beforeEach(() => {
    queries = new InMemoryMeasureQueries();
    channel = new SharedChannel();
    truth = new Map();
    replicas = [];
    for (let i = 0; i < TARGETS; i += 1) {
      // two binding rows per target
      for (const j of [0, 1]) {
        const id = rowId(1 + i * 2 + j); // rowId(0) is FIRST_ID, below every row
        queries.put({ id, targetId: target(i) });
        if (!truth.has(target(i))) truth.set(target(i), new Set());
        truth.get(target(i))!.add(id);
      }
    }
  });

  afterEach(async () => {
    queries.gate = undefined;
    for (const r of replicas) await r.beforeApplicationShutdown();
  });

  const replica = (ownership: IndexOwnership) => {
    const r = new ActiveMeasures(queries, channel, log, ownership);
    replicas.push(r);
    r.onModuleInit();
    return r;
  };
  const owned = (...owned: number[]): Ownership => ({ partitions: PARTITIONS, owned });
  const ownerOf = (i: number) => keyPartition(target(i), PARTITIONS);

  /** A lift as the service commits and announces it: the row stops binding, every replica is told. */
  const lift = async (i: number) => {
    const rows = truth.get(target(i))!;
    const [id] = [...rows];
    if (!id) return;
    queries.setStatus(id, 'lifted');
    rows.delete(id);
    await channel.announce([target(i)]);
  };
  /** What a check answered from memory must equal PostgreSQL's truth at that moment. */
  const expectNoStaleAnswer = (r: ActiveMeasures, i: number) => {
    const known = r.known(target(i));
    if (known === undefined) return false;
    expect(known.map((m) => m.assignmentId).sort()).toEqual([...truth.get(target(i))!].sort());
    return true;
  };

  it('holds only the rows of its partitions, and asks PostgreSQL for the others and for legacy codes', async () => {
    const r = replica(new TestOwnership(owned(0, 1)));
    await until(() => r.complete, 'partitions 0 and 1 read');
    const mine = [...truth.keys()].filter((t) => [0, 1].includes(keyPartition(t, PARTITIONS)));
    expect(r.rowsHeld).toBe(mine.length * 2);
    for (let i = 0; i < TARGETS; i += 1) {
      if ([0, 1].includes(ownerOf(i))) expect(expectNoStaleAnswer(r, i)).toBe(true);
      else expect(r.known(target(i))).toBeUndefined();
    }
    expect(r.known('LEGACY-9')).toBeUndefined();
    const other = [...Array(TARGETS).keys()].find((i) => ![0, 1].includes(ownerOf(i)))!;
    expect((await r.forSubject(target(other))).map((m) => m.assignmentId).sort()).toEqual(
      [...truth.get(target(other))!].sort(),
    );
  });

  it('a replica that starts is not ready, and answers nothing from memory, until its partitions are read', async () => {
    let open!: () => void;
    queries.gate = new Promise<void>((resolve) => (open = resolve));
    const r = replica(new TestOwnership(owned(2, 3)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.complete).toBe(false);
    for (let i = 0; i < 50; i += 1) expect(r.known(target(i))).toBeUndefined();
    open();
    queries.gate = undefined;
    await until(() => r.complete, 'partitions read');
    for (let i = 0; i < TARGETS; i += 1) if ([2, 3].includes(ownerOf(i))) expectNoStaleAnswer(r, i);
  });

  it('a first read for every partition is given up for the share the group gives once others join', async () => {
    let open!: () => void;
    queries.gate = new Promise<void>((resolve) => (open = resolve));
    const ownership = new TestOwnership(owned(0, 1, 2, 3, 4, 5)); // alone in the group at first
    const r = replica(ownership);
    await new Promise((resolve) => setTimeout(resolve, 10));
    ownership.assign(owned(1, 4)); // the others joined
    open();
    queries.gate = undefined;
    await until(() => r.complete, 'its share read');
    const share = [...truth.keys()].filter((t) => [1, 4].includes(keyPartition(t, PARTITIONS)));
    expect(r.rowsHeld).toBe(share.length * 2);
    expect(r.heldPartitions).toEqual(owned(1, 4));
    // the whole set is three pages of 500; the share alone is one (the first read was given up)
    expect(queries.calls.bindingPage).toBeLessThan(3);
    for (let i = 0; i < TARGETS; i += 1)
      if ([1, 4].includes(ownerOf(i))) expect(expectNoStaleAnswer(r, i)).toBe(true);
      else expect(r.known(target(i))).toBeUndefined();
  });

  it('a rebalance under load loses no lift and answers no check from an incomplete index', async () => {
    const a = new TestOwnership(owned(0, 1, 2));
    const b = new TestOwnership(owned(3, 4, 5));
    const c = new TestOwnership();
    const ra = replica(a);
    const rb = replica(b);
    const rc = replica(c);
    await until(() => ra.complete && rb.complete, 'two replicas hold everything');

    let stop = false;
    let answeredFromMemory = 0;
    let lifts = 0;
    // checks on every replica, all the time: whatever memory answers must be the truth
    const checking = (async () => {
      while (!stop) {
        for (const r of [ra, rb, rc])
          for (let i = 0; i < TARGETS; i += 7) if (expectNoStaleAnswer(r, i)) answeredFromMemory += 1;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    // lifts all the time, announced after each commit
    const lifting = (async () => {
      for (let i = 0; !stop; i = (i + 1) % TARGETS) {
        await lift(i);
        lifts += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    // a third replica joins: the group gives it one partition of each, while its reads are held back
    let open!: () => void;
    queries.gate = new Promise<void>((resolve) => (open = resolve));
    a.assign(owned(0, 1));
    b.assign(owned(3, 4));
    c.assign(owned(2, 5));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(rc.complete).toBe(false);
    for (let i = 0; i < TARGETS; i += 1)
      if ([2, 5].includes(ownerOf(i))) expect(rc.known(target(i))).toBeUndefined();
    open();
    queries.gate = undefined;
    await until(() => rc.complete && ra.complete && rb.complete, 'the new owners read their partitions');

    // and a replica leaves: its partitions go to the others while lifts go on
    a.assign(owned(0, 1, 2));
    b.assign(owned(3, 4, 5));
    c.assign(owned());
    await until(() => ra.complete && rb.complete, 'partitions read again');
    await until(() => lifts > 100, 'lifts under way');
    stop = true;
    await Promise.all([checking, lifting]);

    expect(lifts).toBeGreaterThan(10);
    expect(answeredFromMemory).toBeGreaterThan(100);
    // no lift lost: once read again, every replica's memory agrees with PostgreSQL for its partitions
    await Promise.all([ra.backstop(), rb.backstop()]);
    for (let i = 0; i < TARGETS; i += 1) {
      const owner = [0, 1, 2].includes(ownerOf(i)) ? ra : rb;
      await until(() => owner.known(target(i)) !== undefined, `target ${i} read again`);
      expectNoStaleAnswer(owner, i);
      expect(rc.known(target(i))).toBeUndefined();
    }
    expect(rc.rowsHeld).toBe(0);
  }, 60_000);

  it("an end heard drops a related person held by another replica's partition, and PostgreSQL's answer", async () => {
    // a company and its legal representative whose identifiers fall in different replicas' partitions
    const co = 0;
    const rep = [...Array(TARGETS).keys()].find((i) => ownerOf(i) !== ownerOf(co))!;
    queries.put({ id: rowId(9001), targetId: target(co), entryId: 'E-CO' });
    queries.put({ id: rowId(9002), targetId: target(rep), subjectId: target(co), entryId: 'E-CO' });
    const mine = replica(new TestOwnership(owned(ownerOf(co))));
    const theirs = replica(new TestOwnership(owned(ownerOf(rep))));
    await until(() => mine.complete && theirs.complete, 'both read');
    const entriesOf = (measures: { entryId: string }[] | undefined) => measures?.map((m) => m.entryId);
    expect(entriesOf(theirs.known(target(rep)))).toContain('E-CO');
    expect(mine.known(target(rep))).toBeUndefined(); // not its partition: PostgreSQL answers

    // heard on the company's replica, as the end's event names it, before the end is written
    mine.dropEnded(['E-CO'], [target(co)]);
    const others = [...truth.get(target(rep))!].sort();
    expect(
      theirs
        .known(target(rep))
        ?.map((m) => m.assignmentId)
        .sort(),
    ).toEqual(others);
    expect((await mine.forSubject(target(rep))).map((m) => m.assignmentId).sort()).toEqual(others);
    expect(
      mine
        .known(target(co))
        ?.map((m) => m.assignmentId)
        .sort(),
    ).toEqual([...truth.get(target(co))!].sort());
  });

  it('one replica that owns every partition holds and answers what the whole index did', async () => {
    const split = replica(new TestOwnership(owned(0, 1, 2, 3, 4, 5)));
    const whole = replica(new TestOwnership(WHOLE));
    await until(() => split.complete && whole.complete, 'both read');
    expect(split.rowsHeld).toBe(whole.rowsHeld);
    for (let i = 0; i < TARGETS; i += 1) expect(split.known(target(i))).toEqual(whole.known(target(i)));
  });
});
