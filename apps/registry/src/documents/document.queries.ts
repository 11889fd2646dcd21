import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entryReadRight, Principal } from '@credit/auth';
import type { InfoClass } from '@credit/contracts';
import { conflict, notFound } from '@credit/platform';
import { ListEntry } from '../list-entries/list-entry.entity';
import { entryAccessFacts } from '../list-entries/list-entry.read-access';
import { REGISTRY_DB } from '../registry.tokens';
import { EntryDocument } from './document.entity';

export function toDocumentView(d: EntryDocument) {
  return {
    id: d.id,
    entryId: d.entryId,
    applicationId: d.applicationId,
    statementId: d.statementId,
    kind: d.kind,
    title: d.title,
    status: d.status,
    /** 1, then the next for each reissue after a correction; an earlier version is kept, superseded */
    version: d.version,
    supersedes: d.supersedes,
    superseded: d.supersededAt !== null,
    supersededAt: d.supersededAt?.toISOString() ?? null,
    requestedAt: d.requestedAt.toISOString(),
    issuedAt: d.issuedAt?.toISOString() ?? null,
    size: d.size,
    sha256: d.sha256,
    download: d.status === 'issued' ? `/v1/documents/${d.id}` : null,
  };
}

/** 两书同达: the documents served on a subject, for the subject, the owning department and supervisors. */
@Injectable()
export class DocumentQueries {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  /** An entry's documents in the order they were requested, with the entry's subject. */
  async onEntry(principal: Principal, id: string) {
    const entry = await this.partyEntry(principal, id);
    const documents = await this.db
      .getRepository(EntryDocument)
      .find({ where: { entryId: id }, order: { requestedAt: 'ASC', kind: 'ASC', version: 'ASC' } });
    return { subjectId: entry.subjectId, items: documents.map(toDocumentView) };
  }

  /**
   * An issued document with its content, and its entry; 404 when it does not exist or the caller may not
   * read it, 409 while it is still being generated or after its entry was anonymised.
   */
  async issued(principal: Principal, id: string) {
    const document = await this.db
      .getRepository(EntryDocument)
      .createQueryBuilder('d')
      .addSelect('d.content')
      .where('d.id = :id', { id })
      .getOne();
    if (!document) throw notFound('DOCUMENT.NOT_FOUND', `document ${id} does not exist`);
    const entry = await this.partyEntry(principal, document.entryId, () =>
      notFound('DOCUMENT.NOT_FOUND', `document ${id} does not exist`),
    );
    if (document.status !== 'issued' || !document.content) {
      throw conflict(
        document.status === 'pending' ? 'DOCUMENT.NOT_READY' : 'DOCUMENT.REDACTED',
        document.status === 'pending'
          ? 'the document is being generated; try again in a moment (文书生成中)'
          : 'the document was removed with the personal data of its entry (已匿名化)',
      );
    }
    return { document, entry };
  }

  /** The entry, if the caller is its subject (or a related person), its owner or a supervisor of its region. */
  private async partyEntry(
    principal: Principal,
    id: string,
    missing = () => notFound('LIST_ENTRY.NOT_FOUND', `list entry ${id} does not exist`),
  ): Promise<ListEntry> {
    const entry = await this.db.getRepository(ListEntry).findOneBy({ id });
    if (!entry) throw missing();
    const [facts]: { info_class: InfoClass | null; region: string | null }[] = await this.db.query(
      `SELECT (SELECT info_class FROM registry.list_types WHERE code = $1) AS info_class,
              (SELECT region FROM registry.departments WHERE code = $2) AS region`,
      [entry.listType, entry.ownerDept],
    );
    const right = entryReadRight(principal, entryAccessFacts(entry, facts.info_class, facts.region));
    if (
      right !== 'subject' &&
      right !== 'supervisor' &&
      !(right === 'owner' && principal.roles.includes('initiator'))
    )
      throw missing();
    return entry;
  }
}
