import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { DocumentKind } from '@credit/contracts';
import { ListEntry } from '../list-entries/list-entry.entity';
import { ListType } from '../list-types/list-type.entity';
import { DOCUMENT_TITLES } from './document-texts';

/** What publishing an entry serves on its subject: the listing decision, and for a black list the repair notice. */
export function documentsOnPublish(listType: Pick<ListType, 'colour'>): DocumentKind[] {
  return listType.colour === 'black' ? ['listing_decision', 'repair_notice'] : ['listing_decision'];
}

/**
 * Asks for documents inside the caller's transaction: they exist (pending) if and only if the act that
 * calls for them commits; the documents job generates and serves them (decision 0026).
 */
export async function requestDocuments(
  manager: EntityManager,
  entry: Pick<ListEntry, 'id' | 'ownerDept'>,
  kinds: readonly DocumentKind[],
  now: Date,
  applicationId: string | null = null,
  statementId: string | null = null,
): Promise<void> {
  if (kinds.length === 0) return;
  await manager.query(
    `INSERT INTO registry.documents
       (id, entry_id, application_id, statement_id, kind, owner_dept, title, status, requested_at)
     SELECT k.id, $1, $2, $8, k.kind, $3, k.title, 'pending', $4
     FROM unnest($5::uuid[], $6::text[], $7::text[]) AS k(id, kind, title)`,
    [
      entry.id,
      applicationId,
      entry.ownerDept,
      now,
      kinds.map(() => randomUUID()),
      kinds,
      kinds.map((k) => DOCUMENT_TITLES[k]),
      statementId,
    ],
  );
}

/** What a document's text is made of, among the fields a correction may change. */
const DEPENDS_ON: Partial<Record<DocumentKind, readonly string[]>> = {
  // 列入决定书: the facts found and the period
  listing_decision: ['facts', 'period'],
  // 信用修复告知书: the period's end and the earliest repair date counted from its start
  repair_notice: ['period'],
};

/**
 * A correction of an entry (decision 0030): each current document whose text depends on a changed field
 * is asked for again as its next version, in the correction's transaction; the earlier version is marked
 * superseded and stays downloadable, so what was served stays what it was. Returns the kinds re-issued.
 */
export async function reissueOnCorrection(
  manager: EntityManager,
  entry: Pick<ListEntry, 'id' | 'ownerDept'>,
  changed: readonly string[],
  now: Date,
): Promise<DocumentKind[]> {
  const kinds = (Object.keys(DEPENDS_ON) as DocumentKind[]).filter((k) =>
    DEPENDS_ON[k]!.some((field) => changed.includes(field)),
  );
  if (kinds.length === 0) return [];
  const rows: { kind: DocumentKind }[] = await manager.query(
    `WITH current AS (
       SELECT id, kind, version, title FROM registry.documents
       WHERE entry_id = $1 AND kind = ANY ($2::text[]) AND superseded_at IS NULL AND status <> 'redacted'
       -- locked in id order, as the documents job stores them: opposite orders deadlocked (CI)
       ORDER BY id FOR UPDATE),
     superseded AS (
       UPDATE registry.documents d SET superseded_at = $3 FROM current c WHERE d.id = c.id RETURNING d.id),
     reissued AS (
       INSERT INTO registry.documents
         (id, entry_id, kind, owner_dept, title, status, requested_at, version, supersedes)
       SELECT gen_random_uuid(), $1, c.kind, $4, c.title, 'pending', $3, c.version + 1, c.id FROM current c
       RETURNING kind)
     SELECT kind FROM reissued`,
    [entry.id, kinds, now, entry.ownerDept],
  );
  return rows.map((r) => r.kind);
}

/** The same for a bulk import's batch of published entries: one statement, whatever the batch's size. */
export async function requestDocumentsForMany(
  query: (sql: string, params: unknown[]) => Promise<unknown>,
  entryIds: readonly string[],
  ownerDept: string,
  kinds: readonly DocumentKind[],
  now: Date,
): Promise<void> {
  if (entryIds.length === 0 || kinds.length === 0) return;
  await query(
    `INSERT INTO registry.documents (id, entry_id, kind, owner_dept, title, status, requested_at)
     SELECT gen_random_uuid(), e.id, k.kind, $2, k.title, 'pending', $3
     FROM unnest($1::uuid[]) AS e(id) CROSS JOIN unnest($4::text[], $5::text[]) AS k(kind, title)`,
    [entryIds, ownerDept, now, kinds, kinds.map((k) => DOCUMENT_TITLES[k])],
  );
}
