import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { embeddedPostgresOf } from '@credit/persistence';
import { ENFORCEMENT_DB } from '../../enforcement.tokens';
import { tablePartitionOf, tablePartitionsOf } from './table-partitions';
import { BindingCopyReader, COPY_COLUMNS, MeasureSnapshot } from './binding-copy';
import {
  BindingRow,
  BindingSink,
  Changes,
  ChangedRow,
  IndexScope,
  KeyedRow,
  keysOf,
  MeasureQueries,
  RowVersion,
} from './measure-queries';

/**
 * A row binds while its assignment stands and its entry has not ended (decision 0063: enforcement hears
 * the end from registry before trigger's lift arrives). The partial indexes' predicate is the status
 * alone, which this implies.
 */
const BINDING = `(status IN ('issued', 'acknowledged', 'enforced') AND entry_ended_at IS NULL)`;
/**
 * Rows of the replica's partitions (decision 0055): `$n` the partition count (0: every row), `$n+1` those
 * owned. `target_hash` is murmur2 of the target, as Kafka's partitioner hashes a record's key.
 */
const IN_SCOPE = (n: number) => `($${n}::int = 0 OR target_hash % $${n}::int = ANY($${n + 1}::int[]))`;
/**
 * `IN_SCOPE` on `enforcement.assignments`, with the table partitions that can hold those rows (decision
 * 0080, `$n+2`) as a condition of its own, so that the planner reads only theirs.
 */
const IN_TABLE_SCOPE = (n: number) => `key_partition = ANY($${n + 2}::smallint[]) AND ${IN_SCOPE(n)}`;
/**
 * The columns of a binding row as the index reads it: periods as epoch milliseconds (a number for the
 * driver, not a timestamp text to parse), the measure snapshot by its md5 (`measure_key`) with its JSON
 * text. Reading the whole set is paid on the event loop that checks and lifts wait behind.
 */
const INDEX_COLUMNS = `id, entry_id, subject_id, target_id, dept, list_type, list_colour,
    md5(measure::text) AS measure_key, measure::text AS measure,
    floor(extract(epoch FROM period_from) * 1000)::float8 AS from_ms,
    floor(extract(epoch FROM period_to) * 1000)::float8 AS until_ms, target_role, subject_legacy_ids,
    xmin::text AS version`;
/**
 * The whole binding set, page by page. A handful of measure snapshots are shared by many rows: a page
 * carries each one's text once, on its first row (by id), the others only its key.
 */
const ALL_BINDING = `SELECT id, entry_id, subject_id, target_id, dept, list_type, list_colour, measure_key,
    CASE WHEN row_number() OVER (PARTITION BY measure_key ORDER BY id) = 1 THEN measure END AS measure,
    from_ms, until_ms, target_role, subject_legacy_ids, version
  FROM (SELECT ${INDEX_COLUMNS} FROM enforcement.assignments
        WHERE ${BINDING} AND id > $1 AND ${IN_TABLE_SCOPE(3)} ORDER BY id LIMIT $2) page
  ORDER BY id`;
/** Rows that bind any of the given identifiers, as target or as a listed subject's legacy identifier. */
const UNDER = `SELECT ${INDEX_COLUMNS} FROM enforcement.assignments
  WHERE ${BINDING} AND (target_id = ANY($1::text[]) OR (target_id = subject_id AND subject_legacy_ids && $2::text[]))`;
/**
 * The same when no identifier asked about can be a legacy one: the GIN index is not consulted. The table
 * partitions are written in (integers): planned over a parameter array, the statement cost twice as much
 * as with the numbers in its text (pgbench at a tenth, decision 0080).
 */
const UNDER_TARGETS = (partitions: readonly number[]) => `SELECT ${INDEX_COLUMNS} FROM enforcement.assignments
  WHERE ${BINDING} AND target_id = ANY($1::text[]) AND key_partition IN (${partitions.join(', ')})`;
/** The oldest transaction still running: everything before it has ended, committed or not. */
const WATERMARK = `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS watermark`;
/**
 * Rows written since a watermark, in one statement (one snapshot) with the watermark to ask from next.
 * A row's `written_xid` is the transaction that last wrote it (a trigger keeps it, an index serves it);
 * every transaction that commits after this snapshot has an id at or above its xmin, so the next read
 * finds it — whatever order transactions commit in. A deleted row left its keys in `assignment_removals`
 * (a trigger), listed as no longer binding. Both through indexes: the cost follows the changes, not the
 * set (migration 1768600000000; before it, every row's `xmin` was scanned and the binding set counted).
 * Removals are pruned after a day (decision 0056): `stale` when some removed since the watermark may be
 * gone, and the caller lists the whole set as after too many changes.
 */
const CHANGED = `WITH now AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS watermark,
    coalesce((SELECT up_to >= $1::xid8 FROM enforcement.assignment_removals_pruned), false) AS stale)
  SELECT now.watermark, now.stale, c.*
  FROM now LEFT JOIN LATERAL (
    (SELECT id, target_id, subject_id, subject_legacy_ids, xmin::text AS version, ${BINDING} AS binding
     FROM enforcement.assignments
     WHERE written_xid >= $1::xid8 AND ${IN_TABLE_SCOPE(3)}
     LIMIT $2)
    UNION ALL
    (SELECT id, target_id, subject_id, subject_legacy_ids, '' AS version, false AS binding
     FROM enforcement.assignment_removals
     WHERE removed_xid >= $1::xid8 AND ${IN_SCOPE(3)}
     LIMIT $2)) c ON true`;
/** A page of the binding set as row versions only (id and xmin). */
const VERSIONS = `SELECT id, xmin::text AS version FROM enforcement.assignments
  WHERE ${BINDING} AND id > $1 AND ${IN_TABLE_SCOPE(3)} ORDER BY id LIMIT $2`;
const BY_ID = `SELECT id, target_id, subject_id, subject_legacy_ids, xmin::text AS version
  FROM enforcement.assignments WHERE ${BINDING} AND id = ANY($1::uuid[])`;
/**
 * The whole binding set of the replica's partitions in one statement (decision 0065): COPY's text, read
 * as it streams, in one snapshot; no order (a sequential scan reads each page once where the paged read
 * by id visited pages at random, several times each). COPY takes no parameters: the scope is written in.
 */
function bindingCopy(scope: IndexScope | undefined): string {
  return `COPY (${bindingSelect(scope)}) TO STDOUT`;
}

/** The rows `bindingCopy` sends (exported for the plan's test: only the share's table partitions). */
export function bindingSelect(scope: IndexScope | undefined): string {
  return `SELECT ${COPY_COLUMNS}
    FROM enforcement.assignments, LATERAL (SELECT measure::text AS text OFFSET 0) m
    WHERE ${BINDING} AND ${scopeLiteral(scope)}`;
}

/** `IN_SCOPE` with its numbers written in (checked to be integers: nothing else reaches the SQL). */
function scopeLiteral(scope: IndexScope | undefined): string {
  if (!scope) return 'true';
  const numbers = [scope.partitions, ...scope.owned];
  if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0))
    throw new Error('a scope of partitions is integers');
  if (scope.owned.length === 0) return 'false';
  return `key_partition IN (${tablePartitionsOf(scope).join(', ')})
    AND target_hash % ${scope.partitions} IN (${scope.owned.join(', ')})`;
}

/** The stream hands its rows over for this long at most before letting the event loop turn. */
const TURN_MS = 10;

/**
 * Legacy identifiers are organization codes (9 characters), registration numbers and 15-digit ID numbers
 * (15): registry accepts nothing else as one, so an 18-character code (a USCC or an ID number, what nearly
 * every check asks about) is never a legacy identifier and its lookup skips the GIN index on them.
 */
export function mayBeLegacy(identifier: string): boolean {
  return identifier.length !== 18;
}

/** A row as the index reads it (INDEX_COLUMNS). */
interface IndexColumns {
  id: string;
  entry_id: string;
  subject_id: string;
  target_id: string;
  dept: string;
  list_type: string;
  list_colour: string;
  measure_key: string;
  /** the snapshot's JSON text; null on a page's later rows of the same measure */
  measure: string | null;
  from_ms: number;
  until_ms: number;
  target_role: string | null;
  subject_legacy_ids: string[];
  version: string;
}

type KeyColumns = Pick<IndexColumns, 'id' | 'target_id' | 'subject_id' | 'subject_legacy_ids' | 'version'>;

/** The check's queries on PostgreSQL (or PGlite in the embedded mode): all of its SQL is here. */
@Injectable()
export class PgMeasureQueries extends MeasureQueries {
  /** parsed measure snapshots by the md5 of their JSON text: a handful of measures are shared by many rows */
  private measures = new Map<string, MeasureSnapshot>();
  private readonly dates = new Map<number, Date>();

  constructor(@Inject(ENFORCEMENT_DB) private readonly db: DataSource) {
    super();
  }

  async watermark(): Promise<string> {
    const [{ watermark }]: { watermark: string }[] = await this.db.query(WATERMARK);
    return watermark;
  }

  async bindingPage(after: string, limit: number, scope?: IndexScope): Promise<BindingRow[]> {
    const rows: IndexColumns[] = await this.db.query(ALL_BINDING, [after, limit, ...scopeParams(scope)]);
    // only between pages: a page names a measure's text once, on its first row
    if (this.measures.size >= 10_000) this.measures.clear();
    return rows.map((row) => this.decode(row));
  }

  /**
   * On PostgreSQL, `COPY … TO STDOUT` streamed on a connection of its own (decision 0065); PGlite has no
   * COPY protocol: page by page. Stopped (abandoned, too many rows), the statement is cancelled and the
   * rest of the stream drained, so that the connection goes back to the pool ready.
   */
  override async readBinding(scope: IndexScope | undefined, sink: BindingSink): Promise<boolean> {
    if (embeddedPostgresOf(this.db)) return super.readBinding(scope, sink);
    if (!sink.intact()) return false;
    const runner = this.db.createQueryRunner();
    let cancelled: Promise<unknown> | undefined;
    try {
      const client = (await runner.connect()) as PoolClient;
      const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      if (this.measures.size >= 10_000) this.measures.clear();
      const reader = new BindingCopyReader(this.measures, (ms) => this.date(ms));
      const stream = client.query(copyTo(bindingCopy(scope)));
      return await new Promise<boolean>((resolve, reject) => {
        let stopped = false;
        let failure: Error | undefined;
        let turn = Date.now();
        const stop = (err?: Error) => {
          if (stopped) return;
          stopped = true;
          failure = err;
          // the backend stops at once; until its error comes, what is still in flight is drained
          // (awaited before the connection goes back to the pool: never cancels its next user's query)
          cancelled = this.db.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
        };
        stream.on('data', (chunk: Buffer) => {
          if (stopped) return;
          if (!sink.intact()) return stop();
          let rows: BindingRow[];
          try {
            rows = reader.rows(chunk);
          } catch (err) {
            return stop(err as Error);
          }
          if (rows.length > 0 && !sink.rows(rows)) return stop();
          if (Date.now() - turn >= TURN_MS) {
            // checks, lifts and Kafka's heartbeats wait behind a read that never waits for data
            stream.pause();
            setImmediate(() => {
              turn = Date.now();
              stream.resume();
            });
          }
        });
        stream.on('error', (err: Error) =>
          stopped ? (failure ? reject(failure) : resolve(false)) : reject(err),
        );
        stream.on('end', () => {
          if (failure) return reject(failure);
          if (stopped) return resolve(false);
          try {
            reader.end();
            resolve(sink.intact());
          } catch (err) {
            reject(err as Error);
          }
        });
      });
    } finally {
      await cancelled;
      await runner.release();
    }
  }

  async bindingUnder(keys: readonly string[]): Promise<BindingRow[]> {
    if (keys.length === 0) return [];
    const legacy = keys.filter(mayBeLegacy);
    const rows: IndexColumns[] =
      legacy.length === 0
        ? await this.db.query(UNDER_TARGETS([...new Set(keys.map(tablePartitionOf))]), [keys])
        : await this.db.query(UNDER, [keys, legacy]);
    if (this.measures.size >= 10_000) this.measures.clear(); // these rows each carry their text
    return rows.map((row) => this.decode(row));
  }

  async changedSince(watermark: string, limit: number, scope?: IndexScope): Promise<Changes> {
    const rows: (Partial<KeyColumns> & { watermark: string; stale: boolean; binding: boolean })[] =
      await this.db.query(CHANGED, [watermark, limit + 1, ...scopeParams(scope)]);
    const changed: ChangedRow[] = [];
    for (const row of rows) {
      if (row.id === null || row.id === undefined) continue; // nothing written: the one row of `now`
      changed.push({ ...keyed(row as KeyColumns), binding: row.binding });
    }
    // removals past the watermark may have been pruned: what they would say, only a listing tells
    const truncated = changed.length > limit || rows[0].stale;
    return { watermark: rows[0].watermark, rows: truncated ? changed.slice(0, limit) : changed, truncated };
  }

  versionsPage(after: string, limit: number, scope?: IndexScope): Promise<RowVersion[]> {
    return this.db.query(VERSIONS, [after, limit, ...scopeParams(scope)]);
  }

  async bindingById(ids: readonly string[]): Promise<KeyedRow[]> {
    const rows: KeyColumns[] = await this.db.query(BY_ID, [ids]);
    return rows.map(keyed);
  }

  private decode(row: IndexColumns): BindingRow {
    let measure = this.measures.get(row.measure_key);
    if (!measure) {
      // the page's first row of this measure carries its text (ALL_BINDING), every other query's each row
      if (row.measure === null) throw new Error(`measure ${row.measure_key} came without its text`);
      measure = JSON.parse(row.measure) as MeasureSnapshot;
      this.measures.set(row.measure_key, measure);
    }
    return {
      id: row.id,
      version: row.version,
      keys: keysOf(row),
      measure: {
        assignmentId: row.id,
        entryId: row.entry_id,
        subjectId: row.subject_id,
        dept: row.dept,
        listType: row.list_type,
        listColour: row.list_colour,
        measureCode: measure.code,
        measureText: measure.text,
        mode: measure.mode,
        actions: measure.actions,
        legalBasis: measure.legalBasis,
        from: this.date(row.from_ms),
        until: this.date(row.until_ms),
        targetRole: row.target_role,
      },
    };
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
}

function scopeParams(scope: IndexScope | undefined): [number, number[], number[]] {
  return scope
    ? [scope.partitions, [...scope.owned], tablePartitionsOf(scope)]
    : [0, [], tablePartitionsOf()];
}

function keyed(row: KeyColumns): KeyedRow {
  return { id: row.id, version: row.version, keys: keysOf(row) };
}
