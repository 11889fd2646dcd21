import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
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
/**
 * The columns of a binding row as the index reads it: periods as epoch milliseconds (a number for the
 * driver, not a timestamp text to parse), the measure snapshot by its md5 (`measure_key`) with its JSON
 * text. Reading 200k rows is the backstop's cost, paid on the event loop that checks and lifts wait behind.
 */
const INDEX_COLUMNS = `id, entry_id, subject_id, target_id, dept, list_type, list_colour,
    md5(measure::text) AS measure_key, measure::text AS measure,
    floor(extract(epoch FROM period_from) * 1000)::float8 AS from_ms,
    floor(extract(epoch FROM period_to) * 1000)::float8 AS until_ms, target_role, subject_legacy_ids,
    xmin::text AS version`;
/**
 * The whole binding set, page by page (the complete index). A handful of measure snapshots are shared by
 * many rows: a page carries each one's text once, on its first row (by id), the others only its key.
 */
const ALL_BINDING = `SELECT id, entry_id, subject_id, target_id, dept, list_type, list_colour, measure_key,
    CASE WHEN row_number() OVER (PARTITION BY measure_key ORDER BY id) = 1 THEN measure END AS measure,
    from_ms, until_ms, target_role, subject_legacy_ids, version
  FROM (SELECT ${INDEX_COLUMNS} FROM enforcement.assignments
        WHERE status IN ('issued', 'acknowledged', 'enforced') AND id > $1 ORDER BY id LIMIT $2) page
  ORDER BY id`;
/**
 * A page of the binding set as row versions only (id and xmin, the transaction that last wrote it): the
 * backstop over a held index compares them with the versions it read, instead of reading and re-building
 * 200k rows (their parsing, and a major collection after the swap, held lifts up by ~300 ms).
 */
const PAGE_VERSIONS = `SELECT id, xmin::text AS version FROM enforcement.assignments
  WHERE status IN ('issued', 'acknowledged', 'enforced') AND id > $1 ORDER BY id LIMIT $2`;
/** The identifiers of binding rows written since the index read them (the rows of a page whose version changed). */
const KEYS_BY_ID = `SELECT id, target_id, subject_id, subject_legacy_ids, xmin::text AS version
  FROM enforcement.assignments
  WHERE status IN ('issued', 'acknowledged', 'enforced') AND id = ANY($1::uuid[])`;
/** Rows that bind any of the given identifiers, as target or as a listed subject's legacy identifier. */
const RELOAD = `SELECT ${INDEX_COLUMNS}
  FROM enforcement.assignments
  WHERE status IN ('issued', 'acknowledged', 'enforced')
    AND (target_id = ANY($1::text[]) OR (target_id = subject_id AND subject_legacy_ids && $2::text[]))`;
/**
 * What the binding set is now, in one value: its row count and a sum of hashes of each row's id and xmin
 * (the transaction that last wrote it) — any committed insert, update or delete of a binding row changes
 * it. PostgreSQL scans the rows; nothing is sent back but this.
 */
const FINGERPRINT = `SELECT count(*)::text || ':' || coalesce(sum(hashtextextended(id::text || ':' || xmin::text, 0)), 0)::text
    AS fingerprint
  FROM enforcement.assignments WHERE status IN ('issued', 'acknowledged', 'enforced')`;
/**
 * Small pages: each is parsed and indexed in one turn of the event loop, which checks and the lifts'
 * handlers wait behind (a page of 2,000 rows held it ~40 ms on a slow 2-core machine, 500 about 8 ms).
 */
const PAGE = 500;
/** Beyond this many binding rows the replica does not keep them all (it caches what it was asked about). */
const COMPLETE_MAX_ROWS = 2_000_000;
/** Each replica reads the whole binding set again this often: the backstop for an announcement never made. */
const REBUILD_MS = TTL_MS;
/** A backstop re-read is spread over this long (a page at a time): it never holds the event loop for long. */
const REBUILD_SPREAD_MS = 15_000;
const NONE: ActiveMeasure[] = [];
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
 * keeps the whole binding set in memory (the complete index: a subject it does not hold has no binding
 * measure, no query needed), kept exact by the assignment stream: every change an assignment event makes
 * is announced on the invalidation channel (Redis pub/sub; in memory in the embedded mode) after it
 * commits, and every replica marks the subject's identifiers
 * dirty, answers them from PostgreSQL until it has read them again, then from memory.
 *
 * While the channel is not connected a replica cannot know what it missed: it drops the index, answers
 * from PostgreSQL (caching nothing), and reads the whole set again once subscribed. Until its index is
 * complete (start-up, reconnection, a set too large to hold) it falls back to caching what it was asked
 * about, each answer trusted for 30 s. Every 30 s the backstop lists the binding rows' versions (id, xmin),
 * a page at a time spread over 15 s, unless the set's fingerprint shows no binding row was written since
 * the last pass began; every row written since the index read it makes its identifiers dirty, as an
 * announcement would: the backstop for a replica that died between its commit and its announcement.
 * Worst-case staleness: the time from a lift's commit to its announcement reaching the replica (below a
 * millisecond here), or about 45 s if the replica that committed it died before announcing.
 */
@Injectable()
export class ActiveMeasures implements OnModuleInit, OnApplicationShutdown {
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
  /** the complete index: every binding row by target and by the listed subject's legacy identifiers */
  private index?: Map<string, ActiveMeasure[]>;
  /** the rows the complete index was read from, by id: their version, measure and index keys */
  private held = new Map<string, HeldRow>();
  /** backstop passes over a held index so far (marks the rows each one listed) */
  private passes = 0;
  /** identifiers changed since the index read them, with the version of their latest change */
  private readonly dirty = new Map<string, number>();
  private version = 0;
  private reloadScheduled = false;
  /** the reload of dirty identifiers under way, if any */
  private reloading?: Promise<void>;
  /** set while the whole set is being read: the identifiers changed meanwhile */
  private changedDuringBuild?: Set<string>;
  private building?: Promise<void>;
  /** rows the last complete read found (paces the next one) */
  private lastRows = 0;
  /** the binding set's fingerprint taken just before the held index was read */
  private readFingerprint?: string;
  /** `generation` when that fingerprint was taken */
  private readGeneration = -1;
  /** backstop passes that found the set unchanged since the index was read (nothing read again) */
  private unchangedPasses = 0;
  private rebuildTimer?: NodeJS.Timeout;
  /** parsed measure snapshots by the md5 of their JSON text: a handful of measures are shared by many rows */
  private measureTexts = new Map<string, Row['measure']>();
  private readonly dates = new Map<number, Date>();

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
        this.rebuild();
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
    this.rebuildTimer = setInterval(() => this.rebuild(), REBUILD_MS); // skipped while a pass runs
    this.rebuildTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.rebuildTimer);
    this.listening = false;
    this.forgetAll(); // a read in progress stops at its next page
    await this.building;
  }

  /** Whether checks are answered from the complete index (not only from what was asked before). */
  get complete(): boolean {
    return this.listening && this.index !== undefined;
  }

  /** Identifiers held in memory (the complete index's, or those cached while it is not complete). */
  get cacheSize(): number {
    return (this.index?.size ?? 0) + this.cache.size;
  }

  get usingCache(): boolean {
    return this.listening;
  }

  /** Binding measures of the subject known by `identifier` (its own, a related person's, or a legacy code). */
  async forSubject(identifier: string): Promise<ActiveMeasure[]> {
    const known = this.known(identifier);
    if (known) return known;
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

  /**
   * The binding measures of `identifier` when the complete index answers for it (listening, not changed
   * since it was read) — at once, no promise; undefined when `forSubject` must be asked.
   */
  known(identifier: string): ActiveMeasure[] | undefined {
    if (this.index && this.listening && !this.dirty.has(identifier))
      return this.index.get(identifier) ?? NONE;
    return undefined;
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
    for (const key of keys) {
      this.cache.delete(key);
      this.changedDuringBuild?.add(key);
      if (this.index) this.dirty.set(key, ++this.version);
    }
    if (this.index) this.scheduleReload();
  }

  private forgetAll(): void {
    this.generation += 1;
    this.epoch += 1;
    this.cache.clear();
    this.index = undefined;
    this.held = new Map();
    this.readFingerprint = undefined;
    this.dirty.clear();
    this.changedDuringBuild = undefined;
  }

  /**
   * A backstop pass that begins after this call (the 30-s timer's ticks are skipped while one runs): none
   * to do when the set's fingerprint is the one taken when the index was last read or checked and no
   * announcement came since; otherwise the rows' versions are compared with those held and every row
   * written since makes its identifiers dirty. Resolves when the pass is done and the identifiers it
   * marked were read again (the index then holds what PostgreSQL held when they were read).
   */
  async backstop(): Promise<void> {
    // a pass already under way may have read the set before what the caller wants seen: one after it
    if (this.building) await this.building;
    this.rebuild();
    await this.building;
    await this.settled();
  }

  /** Until no identifier is dirty (or 5 s: a reload failing, announcements that keep coming). */
  private async settled(): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (this.index && this.listening && this.dirty.size > 0 && Date.now() < deadline) {
      await (this.reloading ?? new Promise((r) => setTimeout(r, 5)));
    }
  }

  /** Backstop passes that found nothing to read again (for tests and diagnosis). */
  get unchangedBackstops(): number {
    return this.unchangedPasses;
  }

  /**
   * Reads the whole binding set into a new index, page by page, and puts it in place if nothing
   * intervened (same epoch, still listening); identifiers changed while it was read are then read again.
   * The set's fingerprint is taken first: a commit after it changes the next fingerprint, so a backstop
   * pass can skip the read only when nothing was written since this read began.
   */
  private rebuild(): void {
    if (this.building || !this.listening) return;
    const epoch = this.epoch;
    const changed = new Set<string>();
    this.changedDuringBuild = changed;
    // the first read (no index yet) goes flat out; a backstop re-read is paced by the last one's size
    const pause = this.index ? (REBUILD_SPREAD_MS * PAGE) / Math.max(this.lastRows, PAGE) : 0;
    // an announcement applied after the fingerprint makes the index differ from the state it describes:
    // the set may then come back to that state unannounced (issued announced, lifted by a replica that
    // died before announcing) with the fingerprint unchanged — so a pass skips only if none came since
    const generation = this.generation;
    this.building = (async () => {
      const [{ fingerprint }]: { fingerprint: string }[] = await this.query(FINGERPRINT, []);
      if (this.epoch !== epoch) return;
      if (this.index && fingerprint === this.readFingerprint && this.readGeneration === this.generation) {
        this.unchangedPasses += 1;
        return;
      }
      if (this.index) {
        // a re-read over the held index: its changes marked, the index kept (no 200k rows re-built)
        if (await this.recheck(epoch, pause)) {
          this.readFingerprint = fingerprint;
          this.readGeneration = generation;
          for (const key of changed) this.dirty.set(key, ++this.version);
          this.scheduleReload();
        }
        return;
      }
      const index = new Map<string, ActiveMeasure[]>();
      const rowsById = new Map<string, HeldRow>();
      let last = '00000000-0000-0000-0000-000000000000';
      let rows = 0;
      for (;;) {
        if (rows > 0 && pause > 0) await new Promise((r) => setTimeout(r, pause).unref());
        if (this.epoch !== epoch) return;
        const page: FullRow[] = await this.query(ALL_BINDING, [last, PAGE]);
        if (this.epoch !== epoch) return;
        // only between pages: a page names a measure's text once, on its first row
        if (this.measureTexts.size >= 10_000) this.measureTexts.clear();
        for (const row of page) this.add(index, row, rowsById);
        rows += page.length;
        if (rows > COMPLETE_MAX_ROWS) {
          this.logger.warn({ rows }, 'binding set too large to hold: checks cache what they are asked about');
          return;
        }
        if (page.length < PAGE) break;
        last = page[page.length - 1].id;
      }
      if (this.epoch !== epoch || !this.listening) return;
      this.lastRows = rows;
      this.index = index;
      this.held = rowsById;
      this.readFingerprint = fingerprint;
      this.readGeneration = generation;
      for (const key of changed) this.dirty.set(key, ++this.version);
      this.scheduleReload();
    })()
      .catch((err: unknown) => {
        this.logger.warn({ err: (err as Error).message }, 'could not read the binding set; retrying later');
      })
      .finally(() => {
        if (this.changedDuringBuild === changed) this.changedDuringBuild = undefined;
        this.building = undefined;
        // the channel came back while this read was abandoned: read again for the new epoch
        if (this.epoch !== epoch && this.listening && !this.index) this.rebuild();
      });
  }

  /**
   * The backstop over a held index: lists the binding set's row versions page by page and compares them
   * with the versions the index was read at. A row written since (changed, new, or no longer binding)
   * makes its identifiers dirty — as an announcement would — so checks read them from PostgreSQL until
   * they are read again; the rest stays as it is. Resolves false when abandoned (epoch or index changed).
   */
  private async recheck(epoch: number, pause: number): Promise<boolean> {
    const index = this.index;
    const held = this.held;
    const pass = ++this.passes;
    const suspect = new Set<string>();
    const intact = () => this.epoch === epoch && this.index === index && this.held === held;
    let last = '00000000-0000-0000-0000-000000000000';
    let rows = 0;
    for (;;) {
      if (rows > 0 && pause > 0) await new Promise((r) => setTimeout(r, pause).unref());
      if (!intact()) return false;
      const versions: { id: string; version: string }[] = await this.query(PAGE_VERSIONS, [last, PAGE]);
      if (!intact()) return false;
      const written: string[] = [];
      for (const { id, version } of versions) {
        const row = held.get(id);
        if (row && row.version === version) row.seen = pass;
        else written.push(id);
      }
      if (written.length > 0) {
        const fresh: KeyRow[] = await this.query(KEYS_BY_ID, [written]);
        if (!intact()) return false;
        for (const id of written) for (const key of held.get(id)?.keys ?? []) suspect.add(key);
        for (const row of fresh) {
          const keys = keysOf(row);
          for (const key of keys) suspect.add(key);
          held.set(row.id, { version: row.version, keys, seen: pass });
        }
      }
      rows += versions.length;
      if (versions.length < PAGE) break;
      last = versions[versions.length - 1].id;
    }
    // held but not listed: no longer binding
    for (const [id, row] of held) {
      if (row.seen === pass) continue;
      for (const key of row.keys) suspect.add(key);
      held.delete(id);
    }
    // as an announcement: dirty in the index, and out of the cache that answers dirty identifiers
    if (suspect.size > 0) this.forgetLocally([...suspect]);
    this.lastRows = rows;
    return true;
  }

  /** A binding row under each identifier a check may name it by (its target; the subject's legacy codes). */
  private add(index: Map<string, ActiveMeasure[]>, row: FullRow, rowsById?: Map<string, HeldRow>): void {
    const keys = keysOf(row);
    rowsById?.set(row.id, { version: row.version, keys, seen: this.passes });
    const measure = this.toMeasure(row);
    for (const key of keys) {
      const list = index.get(key);
      if (list) list.push(measure);
      else index.set(key, [measure]);
    }
  }

  private toMeasure(row: FullRow): ActiveMeasure {
    let measure = this.measureTexts.get(row.measure_key);
    if (!measure) {
      // the page's first row of this measure carries its text (ALL_BINDING), a reload's every row
      if (row.measure === null) throw new Error(`measure ${row.measure_key} came without its text`);
      measure = JSON.parse(row.measure) as Row['measure'];
      this.measureTexts.set(row.measure_key, measure);
    }
    return activeMeasure(row, measure, this.date(row.from_ms), this.date(row.until_ms));
  }

  /**
   * One Date per instant: entries published together share their periods, and 200k rows held two Dates
   * each (400k objects for every major collection to mark). Never mutated: compared and formatted only.
   */
  private date(ms: number): Date {
    let date = this.dates.get(ms);
    if (!date) {
      if (this.dates.size >= 100_000) this.dates.clear();
      date = new Date(ms);
      this.dates.set(ms, date);
    }
    return date;
  }

  private scheduleReload(): void {
    if (this.reloadScheduled) return;
    this.reloadScheduled = true;
    setImmediate(() => {
      this.reloadScheduled = false;
      const reloading = this.reloadDirty().finally(() => {
        if (this.reloading === reloading) this.reloading = undefined;
      });
      this.reloading = reloading;
    });
  }

  /** Reads the dirty identifiers again; each leaves the dirty set only if it did not change meanwhile. */
  private async reloadDirty(): Promise<void> {
    const index = this.index;
    if (!index || this.dirty.size === 0) return;
    const taken = new Map([...this.dirty].slice(0, 1000));
    const keys = [...taken.keys()];
    let rows: FullRow[];
    try {
      rows = await this.query(RELOAD, [keys, keys.filter(mayBeLegacy)]);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not read changed subjects; retrying');
      setTimeout(() => this.scheduleReload(), 100).unref();
      return;
    }
    if (this.index !== index) return; // replaced meanwhile (it reads them itself)
    const fresh = new Map<string, ActiveMeasure[]>();
    if (this.measureTexts.size >= 10_000) this.measureTexts.clear(); // a reload's rows carry their text
    for (const row of rows) this.add(fresh, row);
    const applied = new Set<string>();
    for (const [key, version] of taken) {
      if (this.dirty.get(key) !== version) continue;
      const measures = fresh.get(key);
      if (measures) index.set(key, measures);
      else index.delete(key);
      this.dirty.delete(key);
      applied.add(key);
    }
    // the backstop compares versions with these: a row is held at the version read only if the index
    // now has it under every identifier; otherwise at none, so that the next pass marks them all
    for (const row of rows) {
      const keys = keysOf(row);
      const whole = keys.every((key) => applied.has(key));
      this.held.set(row.id, { version: whole ? row.version : '', keys, seen: this.passes });
    }
    if (this.dirty.size > 0) this.scheduleReload();
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

  private query<T = Row>(sql: string, parameters: unknown[]): Promise<T[]> {
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

/** A row of the complete index: the version it was read at and the identifiers it is held under. */
interface HeldRow {
  version: string;
  keys: string[];
  /** the last backstop pass that listed it */
  seen: number;
}

/** The identifiers a check may name a binding row by: its target; a listed subject's legacy codes too. */
type KeyRow = Pick<FullRow, 'id' | 'target_id' | 'subject_id' | 'subject_legacy_ids' | 'version'>;

function keysOf(row: KeyRow): string[] {
  return row.target_id === row.subject_id ? [row.target_id, ...row.subject_legacy_ids] : [row.target_id];
}

/** A row as the index reads it (INDEX_COLUMNS). */
interface FullRow extends Omit<Row, 'measure' | 'period_from' | 'period_to'> {
  measure_key: string;
  /** the snapshot's JSON text; null on a page's later rows of the same measure */
  measure: string | null;
  from_ms: number;
  until_ms: number;
  subject_legacy_ids: string[];
  version: string;
}

function toMeasures(rows: Row[]): ActiveMeasure[] {
  return rows.map((r) => activeMeasure(r, r.measure, r.period_from, r.period_to));
}

/** A binding row as the check sees it: its columns, its parsed measure snapshot and its period. */
function activeMeasure(
  r: Pick<Row, 'id' | 'entry_id' | 'subject_id' | 'dept' | 'list_type' | 'list_colour' | 'target_role'>,
  measure: Row['measure'],
  from: Date,
  until: Date,
): ActiveMeasure {
  return {
    assignmentId: r.id,
    entryId: r.entry_id,
    subjectId: r.subject_id,
    dept: r.dept,
    listType: r.list_type,
    listColour: r.list_colour,
    measureCode: measure.code,
    measureText: measure.text,
    mode: measure.mode,
    actions: measure.actions,
    legalBasis: measure.legalBasis,
    from,
    until,
    targetRole: r.target_role,
  };
}
