import { Inject, Injectable, BeforeApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@credit/platform';
import { CacheInvalidationChannel, decodeAnnouncement } from '../../cache/invalidation-channel';
import { ActiveMeasure } from '../check-decision';
import { Backstop } from './backstop';
import { BindingIndex } from './binding-index';
import { DirtyReader } from './dirty-reader';
import { IndexOwnership, OwnedPartitions, Ownership, WHOLE, WholeIndex } from './index-ownership';
import { keyPartition } from './key-partition';
import { IndexScope, MeasureQueries } from './measure-queries';
import { MissCache } from './miss-cache';
import { MissLoader } from './miss-loader';
import { readWholeSet } from './whole-set-reader';

/** Backstop for the one case invalidation cannot cover: a replica that died between commit and publish. */
const TTL_MS = 30_000;
const MAX_CACHED = 200_000;
/** Each replica looks for rows written behind its back this often. */
const BACKSTOP_MS = TTL_MS;
/** Ended entries remembered as heard (an end is final: forgetting the oldest only costs memory's help). */
const MAX_ENDED_HEARD = 50_000;

/**
 * The measures binding a subject now, for the check (the hot path). PostgreSQL is the truth; each replica
 * holds the whole binding set in memory (the complete index: a subject it does not hold has no binding
 * measure, no query needed), kept exact by the assignment stream: every change an assignment event makes
 * is announced on the invalidation channel (Redis pub/sub; in memory in the embedded mode) after it
 * commits, and every replica marks the subject's identifiers dirty, answers them from PostgreSQL until
 * it has read them again, then from memory.
 *
 * While the channel is not connected a replica cannot know what it missed: it drops the index, answers
 * from PostgreSQL (caching nothing), and reads the whole set again once subscribed. Until its index is
 * complete it caches what it was asked about, each answer trusted for 30 s. Every 30 s the backstop reads
 * the rows written since its watermark and marks those the index does not hold as they are: the backstop
 * for a replica that died between its commit and its announcement (staleness then ~30 s; otherwise the
 * announcement's latency).
 *
 * Split by partition (decision 0055): with an `IndexOwnership` that assigns partitions (the Kafka group's
 * assignment of the assignments topic), a replica holds only the binding rows whose target hashes into
 * its partitions; it answers from memory only for an 18-character identifier of a partition it has read,
 * and asks PostgreSQL for every other (a partition still being read, another replica's, a legacy code).
 * Partitions given by a rebalance are read and merged in; partitions taken are dropped at once. Without
 * one (`WholeIndex`, the embedded mode) a replica holds everything, as before.
 *
 * The parts: `MeasureQueries` (all SQL), `MissLoader` (batched misses), `MissCache` (bounded, expiring),
 * `BindingIndex` (the index and its dirty set), `DirtyReader`, `Backstop`, `readWholeSet`.
 */
@Injectable()
export class ActiveMeasures implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly misses = new MissCache({ max: MAX_CACHED, ttlMs: TTL_MS });
  private readonly loader: MissLoader;
  private readonly dirtyReader: DirtyReader;
  private readonly backstopper: Backstop;
  private index?: BindingIndex;
  private listening = false;
  /** bumped when memory is dropped whole: a read begun before applies to nothing */
  private epoch = 0;
  /** set while the whole set is being read: the identifiers changed meanwhile */
  private changedDuringRead?: Set<string>;
  private running?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private readonly ownership: IndexOwnership;
  /** what this replica should hold (undefined until the ownership is known) */
  private wanted?: Ownership;
  /** the partitions the index holds, read whole (WHOLE: everything) */
  private held?: Ownership;
  /** partitions given and not yet read */
  private readonly pending = new Set<number>();
  /** the index was complete once: every partition first owned was read */
  private everComplete = false;
  /** what the first (whole) read under way is reading */
  private reading?: Ownership;
  /**
   * Entries whose end was heard (decision 0067), left out of every answer: from PostgreSQL before the end
   * is written (a dirty key, a key of another replica's partition, a miss), or from a read begun before.
   */
  private readonly endedHeard = new Set<string>();

  constructor(
    @Inject(MeasureQueries) private readonly queries: MeasureQueries,
    @Inject(CacheInvalidationChannel) private readonly channel: CacheInvalidationChannel,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() @Inject(IndexOwnership) ownership?: IndexOwnership,
  ) {
    this.ownership = ownership ?? new WholeIndex();
    this.logger = logger.child({ service: 'enforcement', component: 'active-measures' });
    this.loader = new MissLoader(queries);
    this.dirtyReader = new DirtyReader(queries, () => this.index, this.logger);
    this.backstopper = new Backstop(queries);
  }

  onModuleInit(): void {
    this.ownership.watch((ownership) => this.own(ownership));
    this.channel.listen({
      connected: () => {
        this.forgetAll(); // whatever happened while we were away is unknown
        this.listening = true;
        this.run();
      },
      lost: () => {
        if (this.listening)
          this.logger.warn('invalidation channel lost: checks read PostgreSQL until it is back');
        this.listening = false;
        this.forgetAll();
      },
      message: (message) => {
        try {
          const { keys, endedEntries } = decodeAnnouncement(message);
          if (endedEntries) this.dropEndedLocally(endedEntries, keys);
          else this.forgetLocally(keys);
        } catch {
          this.forgetAll();
        }
      },
    });
    this.timer = setInterval(() => this.run(), BACKSTOP_MS); // skipped while a pass runs
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ownership.stop();
    this.listening = false;
    this.forgetAll(); // a read in progress stops at its next page
    await this.running;
  }

  /**
   * Whether checks are answered from the complete index (not only from what was asked before): every
   * partition this replica owns is read. Readiness in the split mode.
   */
  get complete(): boolean {
    return this.listening && this.index !== undefined && sameOwnership(this.held, this.wanted);
  }

  /**
   * Readiness in the split mode (decision 0058): every partition this replica owned at start was read.
   * Stays true through later rebalances and channel losses (PostgreSQL answers what is not held then).
   */
  get loaded(): boolean {
    if (!this.everComplete && this.complete) this.everComplete = true;
    return this.everComplete;
  }

  /** The partitions the group gives this replica now, read or not (undefined until known). */
  get assignedPartitions(): Ownership | undefined {
    return this.wanted;
  }

  /** The partitions held in memory, read whole (undefined: none yet; 'whole': every subject). */
  get heldPartitions(): Ownership | undefined {
    return this.index ? this.held : undefined;
  }

  /** Binding rows held in memory. */
  get rowsHeld(): number {
    return this.index?.rows ?? 0;
  }

  /** Identifiers held in memory (the complete index's, and those cached from misses). */
  get cacheSize(): number {
    return (this.index?.size ?? 0) + this.misses.size;
  }

  get usingCache(): boolean {
    return this.listening;
  }

  /** Backstop passes that found nothing written behind the index's back (for tests and diagnosis). */
  get unchangedBackstops(): number {
    return this.backstopper.unchangedPasses;
  }

  /** Binding measures of the subject known by `identifier` (its own, a related person's, or a legacy code). */
  async forSubject(identifier: string): Promise<ActiveMeasure[]> {
    const known = this.known(identifier);
    if (known) return known;
    if (this.listening) {
      const hit = this.misses.get(identifier);
      if (hit) return this.withoutEnded(hit);
    }
    const ticket = this.misses.ticket();
    const measures = this.withoutEnded(await this.loader.load(identifier));
    // cache only what no invalidation overlapped, and only while we hear every invalidation
    if (this.listening) this.misses.set(identifier, measures, ticket);
    return measures;
  }

  /**
   * The binding measures of `identifier` when the complete index answers for it (listening, not changed
   * since it was read) — at once, no promise; undefined when `forSubject` must be asked.
   */
  known(identifier: string): ActiveMeasure[] | undefined {
    if (!this.listening || !this.index) return undefined;
    const held = this.held;
    if (held !== WHOLE) {
      // a legacy code is held under its subject's partition, not its own: PostgreSQL answers it
      if (!held || identifier.length !== 18) return undefined;
      if (!held.owned.includes(keyPartition(identifier, held.partitions))) return undefined;
    }
    const measures = this.index.known(identifier);
    return measures && this.withoutEnded(measures);
  }

  /** After a change committed: drop the keys here and tell every replica. */
  invalidate(keys: string[]): void {
    if (keys.length === 0) return;
    this.forgetLocally(keys);
    this.channel.announce(keys).catch((err: Error) => {
      // the other replicas' channels are down too (same Redis): they read PostgreSQL meanwhile
      this.logger.warn({ err: err.message }, 'could not announce an invalidation');
    });
  }

  /**
   * 退出 on the check's path (decision 0067): the measures of `entryIds`, ended, stop binding under `keys`
   * and under every other key they are held or read under (a related person's) here at once — answered
   * from memory, no read first — and every replica is told to drop them too.
   * Right before the end is written and again after (an end is final), harmless when repeated; the other
   * entries binding under the same keys are untouched.
   */
  dropEnded(entryIds: string[], keys: string[]): void {
    if (entryIds.length === 0 || keys.length === 0) return;
    this.dropEndedLocally(entryIds, keys);
    this.channel.announce(keys, entryIds).catch((err: Error) => {
      this.logger.warn({ err: err.message }, 'could not announce an end');
    });
  }

  /**
   * A backstop pass that begins after this call (the timer's ticks are skipped while one runs). Resolves
   * when the pass is done and the identifiers it marked were read again (or after 5 s).
   */
  async backstop(): Promise<void> {
    // a pass already under way may have read before what the caller wants seen: one after it
    if (this.running) await this.running;
    this.run();
    await this.running;
    const deadline = Date.now() + 5_000;
    while (this.index && this.listening && this.index.dirtyCount > 0 && Date.now() < deadline) {
      await (this.dirtyReader.pending ?? new Promise((r) => setTimeout(r, 5)));
    }
  }

  private forgetLocally(keys: string[]): void {
    this.backstopper.announced();
    this.misses.forget(keys);
    if (this.changedDuringRead) for (const key of keys) this.changedDuringRead.add(key);
    if (this.index) {
      // split: only what this replica holds is read again (another's subjects are its business)
      const held = this.held;
      const mine =
        held === WHOLE || held === undefined
          ? keys
          : keys.filter(
              (key) => key.length === 18 && held.owned.includes(keyPartition(key, held.partitions)),
            );
      if (mine.length === 0) return;
      this.index.markDirty(mine);
      this.dirtyReader.schedule();
    }
  }

  private dropEndedLocally(entryIds: string[], keys: string[]): void {
    this.backstopper.announced();
    for (const entryId of entryIds) {
      this.endedHeard.delete(entryId); // heard again: the newest
      this.endedHeard.add(entryId);
    }
    for (const oldest of this.endedHeard) {
      if (this.endedHeard.size <= MAX_ENDED_HEARD) break;
      this.endedHeard.delete(oldest);
    }
    // every key the index holds the entries under, a related person's too, not only those named
    const dropped = this.index ? [...this.index.dropEnded(new Set(entryIds), keys)] : keys;
    this.misses.forget(dropped);
    // a whole read under way may have read the entry's rows before the end: read those keys again after it
    if (this.changedDuringRead) for (const key of dropped) this.changedDuringRead.add(key);
    if (this.index && this.index.dirtyCount > 0) this.dirtyReader.schedule();
  }

  /** `measures` less those of an entry whose end was heard; the same array when none is. */
  private withoutEnded(measures: ActiveMeasure[]): ActiveMeasure[] {
    if (this.endedHeard.size === 0 || !measures.some((m) => this.endedHeard.has(m.entryId))) return measures;
    return measures.filter((m) => !this.endedHeard.has(m.entryId));
  }

  private forgetAll(): void {
    this.epoch += 1;
    this.misses.clear();
    this.index = undefined;
    this.held = undefined;
    this.pending.clear();
    this.changedDuringRead = undefined;
  }

  /**
   * A rebalance (or the first assignment): partitions taken stop being answered from memory at once and
   * are dropped; partitions given are read and merged in by `run`, answered by PostgreSQL until then.
   */
  private own(next: Ownership): void {
    this.wanted = next;
    const held = this.held;
    if (!this.index || held === undefined) {
      // a first read under way for more than is wanted now (a replica alone in the group at first,
      // given a share when the others join): abandoned at its next page, read again for the share
      if (this.reading !== undefined && narrower(next, this.reading)) this.epoch += 1;
      this.run(); // the first read reads what is wanted then
      return;
    }
    if (next === WHOLE || held === WHOLE || next.partitions !== held.partitions) {
      this.forgetAll(); // a different split: read again
      this.run();
      return;
    }
    const owned = new Set(next.owned);
    const kept = held.owned.filter((p) => owned.has(p));
    if (kept.length < held.owned.length) {
      const taken = new Set(held.owned.filter((p) => !owned.has(p)));
      this.held = { partitions: held.partitions, owned: kept };
      const dropped = this.index.dropWhere((target) => taken.has(keyPartition(target, held.partitions)));
      this.logger.info({ taken: [...taken], dropped }, 'partitions taken by a rebalance: dropped');
    }
    for (const p of [...this.pending]) if (!owned.has(p)) this.pending.delete(p);
    for (const p of next.owned) if (!kept.includes(p)) this.pending.add(p);
    if (this.pending.size > 0) this.run();
  }

  private scopeOf(ownership: OwnedPartitions | typeof WHOLE): IndexScope | undefined {
    return ownership === WHOLE ? undefined : ownership;
  }

  /**
   * The whole read while no index is held; partitions given since read next; a backstop pass over the
   * index otherwise.
   */
  private run(): void {
    if (this.running || !this.listening || this.wanted === undefined) return;
    const epoch = this.epoch;
    const work = !this.index
      ? this.readWhole(epoch, this.wanted)
      : this.pending.size > 0
        ? this.readGiven(this.index)
        : this.pass(this.index);
    this.running = work
      .catch((err: unknown) => {
        this.logger.warn({ err: (err as Error).message }, 'could not read the binding set; retrying later');
      })
      .finally(() => {
        this.running = undefined;
        // the channel came back while this read was abandoned: read again for the new epoch
        if (this.epoch !== epoch && this.listening && !this.index) this.run();
        // partitions given meanwhile (a rebalance during the read) are read now, not at the next tick
        else if (this.index && this.pending.size > 0) this.run();
      });
  }

  private async readWhole(epoch: number, wanted: Ownership): Promise<void> {
    this.backstopper.restart();
    const changed = new Set<string>();
    this.changedDuringRead = changed;
    this.reading = wanted;
    try {
      const started = Date.now();
      const index = await readWholeSet(this.queries, {
        intact: () => this.epoch === epoch,
        maxRows: this.ownership.maxRows,
        scope: this.scopeOf(wanted),
        tooLarge: (rows) =>
          this.logger.warn({ rows }, 'binding set too large to hold: checks cache what they are asked about'),
      });
      if (!index || this.epoch !== epoch || !this.listening) return;
      this.index = index;
      this.held = wanted;
      this.logger.info(
        { rows: index.rows, ms: Date.now() - started, partitions: wanted === WHOLE ? WHOLE : wanted.owned },
        'binding set read',
      );
      // identifiers announced while the set was read are read again
      if (changed.size > 0) this.forgetLocally([...changed]);
      // a rebalance while reading: hold what is wanted now
      if (this.wanted !== wanted && this.wanted !== undefined) this.own(this.wanted);
    } finally {
      if (this.changedDuringRead === changed) this.changedDuringRead = undefined;
      if (this.reading === wanted) this.reading = undefined;
    }
  }

  /** Partitions given by a rebalance, read into an index of their own, then merged in. */
  private async readGiven(index: BindingIndex): Promise<void> {
    const held = this.held;
    if (held === undefined || held === WHOLE) return;
    const given = [...this.pending];
    this.pending.clear();
    const changed = new Set<string>();
    this.changedDuringRead = changed;
    try {
      const started = Date.now();
      const part = await readWholeSet(this.queries, {
        intact: () => this.index === index,
        maxRows: this.ownership.maxRows - index.rows,
        scope: { partitions: held.partitions, owned: given },
      });
      if (!part || this.index !== index) {
        if (this.index === index) for (const p of given) this.pending.add(p); // too large: not held
        return;
      }
      // taken again while being read: not merged
      const wanted = this.wanted;
      const still = wanted && wanted !== WHOLE ? new Set(wanted.owned) : new Set<number>();
      const now = this.held;
      if (now === undefined || now === WHOLE) return;
      const merged = given.filter((p) => still.has(p));
      const dropped = new Set(given.filter((p) => !still.has(p)));
      index.absorb(part);
      if (dropped.size > 0) index.dropWhere((target) => dropped.has(keyPartition(target, now.partitions)));
      this.held = { partitions: now.partitions, owned: [...now.owned, ...merged] };
      this.logger.info({ given: merged, rows: part.rows, ms: Date.now() - started }, 'partitions read');
      if (changed.size > 0) this.forgetLocally([...changed]);
    } finally {
      if (this.changedDuringRead === changed) this.changedDuringRead = undefined;
    }
  }

  private async pass(index: BindingIndex): Promise<void> {
    const held = this.held;
    await this.backstopper.pass(index, {
      intact: () => this.index === index,
      scope: held === WHOLE || held === undefined ? undefined : held,
      // as an announcement: dirty in the index, and out of the cache of misses
      mark: (keys) => this.forgetLocally([...keys]),
    });
  }
}

/** `next` holds fewer subjects than `than`: a split of fewer partitions, or a split where the whole was. */
function narrower(next: Ownership, than: Ownership): boolean {
  if (next === WHOLE) return false;
  if (than === WHOLE) return true;
  return next.partitions === than.partitions && next.owned.length < than.owned.length;
}

function sameOwnership(a: Ownership | undefined, b: Ownership | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === WHOLE || b === WHOLE) return a === b;
  if (a.partitions !== b.partitions || a.owned.length !== b.owned.length) return false;
  const owned = new Set(a.owned);
  return b.owned.every((p) => owned.has(p));
}
