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
): Promise<void> {
  if (kinds.length === 0) return;
  await manager.query(
    `INSERT INTO registry.documents (id, entry_id, application_id, kind, owner_dept, title, status, requested_at)
     SELECT k.id, $1, $2, k.kind, $3, k.title, 'pending', $4
     FROM unnest($5::uuid[], $6::text[], $7::text[]) AS k(id, kind, title)`,
    [
      entry.id,
      applicationId,
      entry.ownerDept,
      now,
      kinds.map(() => randomUUID()),
      kinds,
      kinds.map((k) => DOCUMENT_TITLES[k]),
    ],
  );
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
