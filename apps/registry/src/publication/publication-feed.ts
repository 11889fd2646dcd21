import { DataSource, EntityManager } from 'typeorm';
import { EventTypes } from '@credit/contracts';

/** An advisory lock of the registry's schema: one sequencer at a time, whatever the replica count. */
const SEQUENCER_LOCK = 0x70756266; // 'pubf'
const SEQUENCE_BATCH = 10_000;

/**
 * Gives committed, unsequenced feed changes their position, in insertion order. Positions are assigned by
 * one transaction at a time (the lock), and a change becomes visible to this pass only once its own
 * transaction committed, so a reader that saw position p never later finds a change below p appear: the
 * cursor of an external platform never skips anything. Answers the lags (commit time → position, s).
 */
export async function sequenceFeed(db: DataSource): Promise<number[]> {
  return sequenceAfterCommit(db, 'registry.publication_events', SEQUENCER_LOCK);
}

/**
 * The same sequencing for any feed table with `id` (insertion order), `position`, `occurred_at` and
 * `sequenced_at` (the exchange's outbound documents, decision 0035), under its own advisory lock.
 */
export async function sequenceAfterCommit(db: DataSource, table: string, lock: number): Promise<number[]> {
  return db.transaction(async (manager) => {
    const [{ locked }]: { locked: boolean }[] = await manager.query(
      `SELECT pg_try_advisory_xact_lock($1) AS locked`,
      [lock],
    );
    if (!locked) return [];
    const rows: { lag: number }[] = await manager.query(
      `WITH pending AS (
         SELECT id FROM ${table} WHERE position IS NULL ORDER BY id LIMIT $1
       ), numbered AS (
         SELECT id, (SELECT COALESCE(MAX(position), 0) FROM ${table})
                    + ROW_NUMBER() OVER (ORDER BY id) AS position
         FROM pending
       )
       UPDATE ${table} e SET position = n.position, sequenced_at = clock_timestamp()
       FROM numbered n WHERE e.id = n.id
       RETURNING EXTRACT(EPOCH FROM (clock_timestamp() - e.occurred_at))::float8 AS lag`,
      [SEQUENCE_BATCH],
    );
    return (Array.isArray(rows[0]) ? (rows[0] as unknown as typeof rows) : rows).map((r) => Number(r.lag));
  });
}

export interface FeedItem {
  position: number;
  id: string;
  type: string;
  entryId: string;
  time: string;
  data: unknown;
}

/** The feed after `after`, in position order. */
export async function readFeed(db: DataSource, after: number, limit: number): Promise<FeedItem[]> {
  const rows: {
    position: string;
    event_id: string;
    kind: 'published' | 'withdrawn';
    entry_id: string;
    occurred_at: Date;
    data: unknown;
  }[] = await db.query(
    `SELECT position, event_id, kind, entry_id, occurred_at, data FROM registry.publication_events
     WHERE position > $1 ORDER BY position LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => ({
    position: Number(r.position),
    id: r.event_id,
    type: r.kind === 'published' ? EventTypes.publicationPublished : EventTypes.publicationWithdrawn,
    entryId: r.entry_id,
    time: new Date(r.occurred_at).toISOString(),
    data: r.data,
  }));
}

/** The last position of the feed (0 when empty). */
export async function feedHead(manager: DataSource | EntityManager): Promise<number> {
  const [row]: { head: string }[] = await manager.query(
    `SELECT COALESCE(MAX(position), 0) AS head FROM registry.publication_events`,
  );
  return Number(row.head);
}

/** What an external platform acknowledged it mirrored: every change up to `position`. */
export async function acknowledged(
  db: DataSource,
  dept: string,
): Promise<{ position: number; ackedAt: string | null }> {
  const [row]: { position: string; acked_at: Date }[] = await db.query(
    `SELECT position, acked_at FROM registry.publication_acks WHERE dept = $1`,
    [dept],
  );
  return row
    ? { position: Number(row.position), ackedAt: new Date(row.acked_at).toISOString() }
    : { position: 0, ackedAt: null };
}

/** Moves a platform's acknowledgement forward (never back); answers where it stands. */
export async function acknowledge(
  manager: EntityManager,
  dept: string,
  position: number,
  by: string,
  now: Date,
): Promise<{ position: number; ackedAt: string }> {
  const rows: { position: string; acked_at: Date }[] = await manager.query(
    `INSERT INTO registry.publication_acks (dept, position, acked_at, acked_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (dept) DO UPDATE SET position = EXCLUDED.position, acked_at = EXCLUDED.acked_at,
       acked_by = EXCLUDED.acked_by
       WHERE publication_acks.position < EXCLUDED.position
     RETURNING position, acked_at`,
    [dept, position, now, by],
  );
  if (rows.length > 0)
    return { position: Number(rows[0].position), ackedAt: new Date(rows[0].acked_at).toISOString() };
  const [kept]: { position: string; acked_at: Date }[] = await manager.query(
    `SELECT position, acked_at FROM registry.publication_acks WHERE dept = $1`,
    [dept],
  );
  return { position: Number(kept.position), ackedAt: new Date(kept.acked_at).toISOString() };
}

export interface UnacknowledgedWithdrawal {
  dept: string;
  position: number;
  entryId: string;
  reason: string;
  withdrawnAt: string;
  /** since when the platform could have pulled it */
  inFeedSince: string;
}

/**
 * Reconciliation: the withdrawals each external platform has not acknowledged although they have been in
 * the feed for longer than the grace period — a platform that may still show an entry that ended.
 */
export async function unacknowledgedWithdrawals(
  db: DataSource,
  options: { dept?: string; graceMs: number; limit: number; now: Date },
): Promise<UnacknowledgedWithdrawal[]> {
  const rows: {
    dept: string;
    position: string;
    entry_id: string;
    reason: string;
    occurred_at: Date;
    sequenced_at: Date;
  }[] = await db.query(
    `SELECT d.code AS dept, e.position, e.entry_id, e.reason, e.occurred_at, e.sequenced_at
     FROM registry.departments d
     LEFT JOIN registry.publication_acks a ON a.dept = d.code
     JOIN registry.publication_events e
       ON e.kind = 'withdrawn' AND e.position > COALESCE(a.position, 0)
     WHERE d.external_platform AND ($1::text IS NULL OR d.code = $1)
       AND e.sequenced_at <= $2::timestamptz - make_interval(secs => $3 / 1000.0)
     ORDER BY d.code, e.position
     LIMIT $4`,
    [options.dept ?? null, options.now, options.graceMs, options.limit],
  );
  return rows.map((r) => ({
    dept: r.dept,
    position: Number(r.position),
    entryId: r.entry_id,
    reason: r.reason,
    withdrawnAt: new Date(r.occurred_at).toISOString(),
    inFeedSince: new Date(r.sequenced_at).toISOString(),
  }));
}

export interface FeedChange {
  /** the feed position, null until the sequencer numbered it (a moment after commit) */
  position: number | null;
  id: string;
  kind: 'published' | 'withdrawn';
  reason: string | null;
  entryId: string;
  time: string;
  data: unknown;
}

/**
 * The feed as a supervisor reads it: newest first (by insertion), published and withdrawn changes with
 * their reasons, keyset on the row id; sequenced or not, since a supervisor does not mirror it.
 */
export async function feedChanges(
  db: DataSource,
  options: { before?: number; kind?: 'published' | 'withdrawn'; limit: number },
): Promise<{ items: FeedChange[]; last?: number; more: boolean }> {
  const rows: {
    id: string;
    position: string | null;
    event_id: string;
    kind: 'published' | 'withdrawn';
    reason: string | null;
    entry_id: string;
    occurred_at: Date;
    data: unknown;
  }[] = await db.query(
    `SELECT id, position, event_id, kind, reason, entry_id, occurred_at, data
     FROM registry.publication_events
     WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR kind = $2)
     ORDER BY id DESC LIMIT $3`,
    [options.before ?? null, options.kind ?? null, options.limit + 1],
  );
  const page = rows.slice(0, options.limit);
  return {
    items: page.map((r) => ({
      position: r.position === null ? null : Number(r.position),
      id: r.event_id,
      kind: r.kind,
      reason: r.reason,
      entryId: r.entry_id,
      time: new Date(r.occurred_at).toISOString(),
      data: r.data,
    })),
    last: page.length > 0 ? Number(page[page.length - 1].id) : undefined,
    more: rows.length > options.limit,
  };
}
