import { Inject, Injectable, BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@credit/platform';
import { CacheInvalidationChannel } from '../../cache/invalidation-channel';
import { ActiveMeasure } from '../check-decision';
import { Backstop } from './backstop';
import { BindingIndex } from './binding-index';
import { DirtyReader } from './dirty-reader';
import { MeasureQueries } from './measure-queries';
import { MissCache } from './miss-cache';
import { MissLoader } from './miss-loader';
import { readWholeSet } from './whole-set-reader';

/** Backstop for the one case invalidation cannot cover: a replica that died between commit and publish. */
const TTL_MS = 30_000;
const MAX_CACHED = 200_000;
/** Beyond this many binding rows the replica does not keep them all (it caches what it was asked about). */
const COMPLETE_MAX_ROWS = 2_000_000;
/** Each replica looks for rows written behind its back this often. */
const BACKSTOP_MS = TTL_MS;

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

  constructor(
    @Inject(MeasureQueries) private readonly queries: MeasureQueries,
    @Inject(CacheInvalidationChannel) private readonly channel: CacheInvalidationChannel,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'enforcement', component: 'active-measures' });
    this.loader = new MissLoader(queries);
    this.dirtyReader = new DirtyReader(queries, () => this.index, this.logger);
    this.backstopper = new Backstop(queries);
  }

  onModuleInit(): void {
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
          this.forgetLocally(JSON.parse(message) as string[]);
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
    this.listening = false;
    this.forgetAll(); // a read in progress stops at its next page
    await this.running;
  }

  /** Whether checks are answered from the complete index (not only from what was asked before). */
  get complete(): boolean {
    return this.listening && this.index !== undefined;
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
      if (hit) return hit;
    }
    const ticket = this.misses.ticket();
    const measures = await this.loader.load(identifier);
    // cache only what no invalidation overlapped, and only while we hear every invalidation
    if (this.listening) this.misses.set(identifier, measures, ticket);
    return measures;
  }

  /**
   * The binding measures of `identifier` when the complete index answers for it (listening, not changed
   * since it was read) — at once, no promise; undefined when `forSubject` must be asked.
   */
  known(identifier: string): ActiveMeasure[] | undefined {
    return this.listening ? this.index?.known(identifier) : undefined;
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
      this.index.markDirty(keys);
      this.dirtyReader.schedule();
    }
  }

  private forgetAll(): void {
    this.epoch += 1;
    this.misses.clear();
    this.index = undefined;
    this.changedDuringRead = undefined;
  }

  /** The whole read while no index is held; a backstop pass over it once one is. */
  private run(): void {
    if (this.running || !this.listening) return;
    const epoch = this.epoch;
    const work = this.index ? this.pass(this.index) : this.readWhole(epoch);
    this.running = work
      .catch((err: unknown) => {
        this.logger.warn({ err: (err as Error).message }, 'could not read the binding set; retrying later');
      })
      .finally(() => {
        this.running = undefined;
        // the channel came back while this read was abandoned: read again for the new epoch
        if (this.epoch !== epoch && this.listening && !this.index) this.run();
      });
  }

  private async readWhole(epoch: number): Promise<void> {
    this.backstopper.restart();
    const changed = new Set<string>();
    this.changedDuringRead = changed;
    try {
      const index = await readWholeSet(this.queries, {
        intact: () => this.epoch === epoch,
        maxRows: COMPLETE_MAX_ROWS,
        tooLarge: (rows) =>
          this.logger.warn({ rows }, 'binding set too large to hold: checks cache what they are asked about'),
      });
      if (!index || this.epoch !== epoch || !this.listening) return;
      this.index = index;
      // identifiers announced while the set was read are read again
      if (changed.size > 0) this.forgetLocally([...changed]);
    } finally {
      if (this.changedDuringRead === changed) this.changedDuringRead = undefined;
    }
  }

  private async pass(index: BindingIndex): Promise<void> {
    await this.backstopper.pass(index, {
      intact: () => this.index === index,
      // as an announcement: dirty in the index, and out of the cache of misses
      mark: (keys) => this.forgetLocally([...keys]),
    });
  }
}
