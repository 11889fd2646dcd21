import { DataSource } from 'typeorm';
import { EntryDocument } from './document.entity';

/** A document as an answer names it: what it is, whether it is ready, and where to download it. */
export interface DocumentRef {
  id: string;
  kind: EntryDocument['kind'];
  title: string;
  status: EntryDocument['status'];
  issuedAt: string | null;
  download: string | null;
}

/** The documents of statements or of repair applications, by owner id, oldest first. */
export async function documentRefsBy(
  db: DataSource,
  owner: 'statement' | 'application',
  ids: string[],
): Promise<Map<string, DocumentRef[]>> {
  const byOwner = new Map<string, DocumentRef[]>();
  if (ids.length === 0) return byOwner;
  const documents = await db
    .getRepository(EntryDocument)
    .createQueryBuilder('d')
    .where(`d.${owner}_id IN (:...ids)`, { ids })
    .orderBy('d.requested_at', 'ASC')
    .getMany();
  for (const d of documents) {
    const key = (owner === 'statement' ? d.statementId : d.applicationId)!;
    const list = byOwner.get(key) ?? [];
    list.push({
      id: d.id,
      kind: d.kind,
      title: d.title,
      status: d.status,
      issuedAt: d.issuedAt?.toISOString() ?? null,
      download: d.status === 'issued' ? `/v1/documents/${d.id}` : null,
    });
    byOwner.set(key, list);
  }
  return byOwner;
}
