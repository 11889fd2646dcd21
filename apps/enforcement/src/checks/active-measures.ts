import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '@credit/platform';
import { CacheInvalidationChannel } from '../cache/invalidation-channel';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { ActiveMeasure } from './check-decision';

const MAX_ENTRIES = 200_000;
/** Backstop for the one case invalidation cannot cover: a replica that died between commit and publish. */
const TTL_MS = 30_000;

const COLUMNS = `id, entry_id, subject_id, target_id, dept, list_type, list_colour, measure, period_from, period_to, target_role`;
const BY_TARGETS = `SELECT ${COLUMNS} FROM enforcement.assignments
  WHERE status IN ('issued', 'acknowledged', 'enforced') AND target_id = ANY($1::text[])`;
/** The most misses one query asks about. */
const MAX_BATCH = 256;
const BY_TARGET_OR_LEGACY = `SELECT ${COLUMNS} FROM enforcement.assignments
  WHERE status IN ('issued', 'acknowledged', 'enforced')
    AND (target_id = $1 OR (target_id = subject_id AND subject_legacy_ids @> ARRAY[$1]))`;

/**
 * Legacy identifiers are organization codes (9 characters), registration numbers and 15-digit ID numbers
 * (15): registry accepts nothing else as one, so an 18-character code (a USCC or an ID number, what nearly
 * every check asks about) is never a legacy identifier and its lookup skips the GIN index on them — whose
 * pending list (fastupdate) every lookup would otherwise scan until the next vacuum.
 */
function mayBeLegacy(identifier: string): boolean {
  return identifier.length !== 18;
}

interface Cached {
  measures: ActiveMeasure[];
  epoch: number;
  loadedAt: number;
}

/**
 * The measures binding a subject now, for the check (the hot path). PostgreSQL is the truth; each replica
 * keeps what it read in memory. Every change an assignment event makes is announced on the invalidation
 * channel (Redis pub/sub; in memory in the embedded mode) after it commits, and every replica drops that
 * subject from memory; the replica that applied it drops it at once. While the channel is not connected a replica cannot know what it missed, so it answers from
 * PostgreSQL and keeps nothing; when it reconnects it starts with an empty memory (a new epoch).
 * Worst-case staleness: the time from a lift's commit to its announcement reaching the replica (below a
 * millisecond here), or the TTL if the replica that committed it died before announcing.
 */
@Injectable()
export class ActiveMeasures implements OnModuleInit {
  private readonly cache = new Map<string, Cached>();
  private epoch = 0;
  private listening = false;
  /** bumped by every invalidation: a read that overlapped one does not fill the cache */
  private generation = 0;
  /** misses waiting for the next batched query, by identifier */
  private batch = new Map<
    string,
    { resolve: (m: ActiveMeasure[]) => void; reject: (e: unknown) => void }[]
  >();
  private batchScheduled = false;
  private readonly logger: Logger;

  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(CacheInvalidationChannel) private readonly channel: CacheInvalidationChannel,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'enforcement', component: 'active-measures' });
  }

  onModuleInit(): void {
    this.channel.listen({
      connected: () => {
        this.forgetAll(); // whatever happened while we were away is unknown
        this.listening = true;
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
  }

  get cacheSize(): number {
    return this.cache.size;
  }

  get usingCache(): boolean {
    return this.listening;
  }

  /** Binding measures of the subject known by `identifier` (its own, a related person's, or a legacy code). */
  async forSubject(identifier: string): Promise<ActiveMeasure[]> {
    const hit = this.cache.get(identifier);
    if (hit && this.listening && hit.epoch === this.epoch && Date.now() - hit.loadedAt < TTL_MS) {
      return hit.measures;
    }
    const generation = this.generation;
    const epoch = this.epoch;
    const measures = await this.load(identifier);
    // cache only what no invalidation overlapped, and only while we hear every invalidation
    if (this.listening && generation === this.generation && epoch === this.epoch) {
      if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(identifier, { measures, epoch, loadedAt: Date.now() });
    }
    return measures;
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

  private forgetLocally(keys: string[]): void {
    this.generation += 1;
    for (const key of keys) this.cache.delete(key);
  }

  private forgetAll(): void {
    this.generation += 1;
    this.epoch += 1;
    this.cache.clear();
  }

  /**
   * Misses that arrive together (the same turn of the event loop) share one query: under load that is one
   * round trip to PostgreSQL for many checks instead of one each.
   */
  private load(identifier: string): Promise<ActiveMeasure[]> {
    if (mayBeLegacy(identifier)) return this.query(BY_TARGET_OR_LEGACY, [identifier]).then(toMeasures);
    return new Promise((resolve, reject) => {
      const waiting = this.batch.get(identifier);
      if (waiting) waiting.push({ resolve, reject });
      else this.batch.set(identifier, [{ resolve, reject }]);
      if (this.batch.size >= MAX_BATCH) this.sendBatch();
      else if (!this.batchScheduled) {
        this.batchScheduled = true;
        setImmediate(() => this.sendBatch());
      }
    });
  }

  private sendBatch(): void {
    this.batchScheduled = false;
    if (this.batch.size === 0) return;
    const batch = this.batch;
    this.batch = new Map();
    this.query(BY_TARGETS, [[...batch.keys()]]).then(
      (rows) => {
        const byTarget = new Map<string, Row[]>();
        for (const row of rows) {
          const same = byTarget.get(row.target_id);
          if (same) same.push(row);
          else byTarget.set(row.target_id, [row]);
        }
        for (const [key, waiters] of batch) {
          const measures = toMeasures(byTarget.get(key) ?? []);
          for (const w of waiters) w.resolve(measures);
        }
      },
      (err: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
      },
    );
  }

  private query(sql: string, parameters: unknown[]): Promise<Row[]> {
    return this.db.query(sql, parameters);
  }
}

interface Row {
  id: string;
  entry_id: string;
  subject_id: string;
  target_id: string;
  dept: string;
  list_type: string;
  list_colour: string;
  measure: {
    code: string;
    text: string;
    mode: ActiveMeasure['mode'];
    actions: string[];
    legalBasis: string;
  };
  period_from: Date;
  period_to: Date;
  target_role: string | null;
}

function toMeasures(rows: Row[]): ActiveMeasure[] {
  return rows.map((r) => ({
    assignmentId: r.id,
    entryId: r.entry_id,
    subjectId: r.subject_id,
    dept: r.dept,
    listType: r.list_type,
    listColour: r.list_colour,
    measureCode: r.measure.code,
    measureText: r.measure.text,
    mode: r.measure.mode,
    actions: r.measure.actions,
    legalBasis: r.measure.legalBasis,
    from: r.period_from,
    until: r.period_to,
    targetRole: r.target_role,
  }));
}
