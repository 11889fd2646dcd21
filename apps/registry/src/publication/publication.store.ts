import { EntityManager } from 'typeorm';
import { EventTypes, PublicationPublishedV1, PublicationWithdrawnV1, Topics } from '@credit/contracts';
import { createCloudEvent, Outbox, OutboxMessage } from '@credit/messaging';
import { REGISTRY_SOURCE } from '../registry.tokens';

/*
 * The registry's tables of 公示: `public_entries` (what the public routes show: one row per entry on
 * display, with its masked record) and `publication_events` (the feed external platforms pull, ordered
 * by `position`, which the sequencer assigns after commit). Written in the transaction of the entry's
 * change, with the `credit.publication` events in the outbox.
 */

/** A row of `public_entries`: the masked record, and what search and the in-force filter read. */
export interface PublicEntryRow {
  record: PublicationPublishedV1;
  /** in clear, for search only: the unified code or ID number, the name, legacy codes */
  subjectId: string;
  subjectName: string;
  legacyIds: string[];
  periodTo: Date | null;
}

export async function insertPublicEntries(manager: EntityManager, rows: PublicEntryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO registry.public_entries
       (entry_id, revision, list_type, owner_dept, subject_kind, subject_id, subject_name,
        subject_legacy_ids, masked, period_to, published_at, record)
     SELECT x.entry_id, x.revision, x.list_type, x.owner_dept, x.subject_kind, x.subject_id, x.subject_name,
            x.legacy_ids, x.masked, x.period_to, x.published_at, x.record
     FROM jsonb_to_recordset($1::jsonb) AS x(entry_id uuid, revision int, list_type text, owner_dept text,
       subject_kind text, subject_id text, subject_name text, legacy_ids text[], masked boolean,
       period_to timestamptz, published_at timestamptz, record jsonb)
     ON CONFLICT (entry_id) DO UPDATE SET revision = EXCLUDED.revision, period_to = EXCLUDED.period_to,
       published_at = EXCLUDED.published_at, record = EXCLUDED.record`,
    [
      JSON.stringify(
        rows.map((r) => ({
          entry_id: r.record.entryId,
          revision: r.record.revision,
          list_type: r.record.listType.code,
          owner_dept: r.record.ownerDept.code,
          subject_kind: r.record.subject.kind,
          subject_id: r.subjectId,
          subject_name: r.subjectName,
          legacy_ids: r.legacyIds,
          masked: r.record.subject.masked,
          period_to: r.periodTo?.toISOString() ?? null,
          published_at: r.record.publishedAt,
          record: r.record,
        })),
      ),
    ],
  );
}

/** Takes an entry off public display; answers its record, or nothing when it was not on display. */
export async function removePublicEntry(
  manager: EntityManager,
  entryId: string,
): Promise<PublicationPublishedV1 | undefined> {
  const rows: { record: PublicationPublishedV1 }[] = await manager.query(
    `DELETE FROM registry.public_entries WHERE entry_id = $1 RETURNING record`,
    [entryId],
  );
  // TypeORM answers a DELETE … RETURNING as [rows, count]
  const found = (Array.isArray(rows[0]) ? (rows[0] as unknown as typeof rows) : rows)[0];
  return found?.record;
}

let lastAppendAt = 0;

/** When this process last appended to the feed (ms; 0: never): the sequencer idles otherwise. */
export function lastFeedAppendAt(): number {
  return lastAppendAt;
}

export type FeedChange =
  | { kind: 'published'; data: PublicationPublishedV1; at: Date }
  | { kind: 'withdrawn'; data: PublicationWithdrawnV1; at: Date };

/**
 * Appends changes to the feed (unsequenced: the sequencer gives them their position once committed) and
 * their `credit.publication` events to the outbox, keyed by the entry id.
 */
export async function appendToFeed(
  manager: EntityManager,
  outbox: Outbox,
  changes: FeedChange[],
  options: { actorDept?: string; bulk?: boolean } = {},
): Promise<void> {
  if (changes.length === 0) return;
  lastAppendAt = Date.now();
  const messages: OutboxMessage[] = changes.map((c) => ({
    topic: Topics.publication,
    key: c.data.entryId,
    event: createCloudEvent({
      type: c.kind === 'published' ? EventTypes.publicationPublished : EventTypes.publicationWithdrawn,
      source: REGISTRY_SOURCE,
      subject: c.data.entryId,
      actorDept: options.actorDept,
      data: c.data,
      time: c.at,
    }),
  }));
  await manager.query(
    `INSERT INTO registry.publication_events (event_id, entry_id, kind, reason, data, occurred_at)
     SELECT x.event_id, x.entry_id, x.kind, x.reason, x.data, x.occurred_at
     FROM jsonb_to_recordset($1::jsonb) AS x(event_id uuid, entry_id uuid, kind text, reason text,
       data jsonb, occurred_at timestamptz)`,
    [
      JSON.stringify(
        changes.map((c, i) => ({
          event_id: messages[i].event.id,
          entry_id: c.data.entryId,
          kind: c.kind,
          reason: c.kind === 'withdrawn' ? c.data.reason : null,
          data: c.data,
          occurred_at: c.at.toISOString(),
        })),
      ),
    ],
  );
  await outbox.add(manager, messages, options.bulk ? { bulk: true } : {});
}

/**
 * Retention (decision 0021): an anonymised entry leaves no trace of its subject in 公示, masked or not —
 * its feed changes keep their place and reason, the subject becomes `*`.
 */
export async function anonymisePublications(manager: EntityManager, entryId: string): Promise<void> {
  await manager.query(`DELETE FROM registry.public_entries WHERE entry_id = $1`, [entryId]);
  await manager.query(
    `UPDATE registry.publication_events
     SET data = jsonb_set(data, '{subject}',
       jsonb_build_object('kind', data->'subject'->'kind', 'id', '*', 'name', '*', 'masked', true))
     WHERE entry_id = $1`,
    [entryId],
  );
}
