import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { partyRight, Principal } from '@credit/auth';
import { decodeCursor, DomainError, encodeCursor } from '@credit/platform';
import { documentRefsBy } from '../documents/document-refs';
import { ListEntry } from '../list-entries/list-entry.entity';
import { notAParty } from '../list-entries/list-entry.party-access';
import { loadReadableEntry, scopeToReader } from '../list-entries/list-entry.read-access';
import { REGISTRY_DB } from '../registry.tokens';
import { StatementQueryDto } from './statement.dto';
import { Statement } from './statement.entity';
import { toStatementView } from './statement.view';
import { StatementErrors } from './statement.errors';

/** 陈述申辩: the statements as their parties, the owning department and supervisors read them. */
@Injectable()
export class StatementQueries {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  /**
   * The department's statements (a supervisor: all, or its region's), oldest first, each with its entry's
   * subject and statement deadline; keyset cursor on (received time, id).
   */
  async ofOwner(principal: Principal, query: StatementQueryDto) {
    const limit = query.limit ?? 100;
    const qb = this.db
      .getRepository(Statement)
      .createQueryBuilder('s')
      .innerJoinAndMapOne('s.entry', ListEntry, 'e', 'e.id = s.entry_id')
      .orderBy('s.received_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(limit + 1);
    scopeToReader(qb, 's.owner_dept', principal);
    if (query.status) qb.andWhere('s.status = :status', { status: query.status });
    if (query.entryId) qb.andWhere('s.entry_id = :entryId', { entryId: query.entryId });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      qb.andWhere('(s.received_at, s.id) > (:at, :id)', { at, id });
    }
    const rows = (await qb.getMany()) as (Statement & { entry: ListEntry })[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((s) => ({
        ...toStatementView(s),
        entry: {
          listType: s.entry.listType,
          status: s.entry.status,
          subjectId: s.entry.subjectId,
          subjectName: s.entry.subjectName,
          documentNo: s.entry.decisionDocumentNo,
          statementDeadline: s.entry.statementDeadline?.toISOString() ?? null,
        },
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.receivedAt.toISOString(), last.id]) : null,
    };
  }

  /** One statement: for the party it was filed for (403 to other subjects), and the owner. */
  async byId(principal: Principal, id: string) {
    const statement = await this.db.getRepository(Statement).findOneBy({ id });
    if (principal.roles.includes('subject')) {
      const entry =
        statement && (await this.db.getRepository(ListEntry).findOneBy({ id: statement.entryId }));
      if (!statement || !entry || !isParty(principal, entry)) throw notAParty();
    } else {
      if (!statement)
        throw new DomainError({ error: StatementErrors.NOT_FOUND, detail: `statement ${id} does not exist` });
      await loadReadableEntry(this.db, statement.entryId, principal);
    }
    return toStatementView(statement, (await this.documentsOf([statement.id])).get(statement.id));
  }

  /** The statements on an entry: for its parties (403 to other subjects), its owner and supervisors. */
  async onEntry(principal: Principal, id: string) {
    if (principal.roles.includes('subject')) {
      const entry = await this.db.getRepository(ListEntry).findOneBy({ id });
      if (!entry || !isParty(principal, entry)) throw notAParty();
    } else {
      await loadReadableEntry(this.db, id, principal);
    }
    const items = await this.db
      .getRepository(Statement)
      .find({ where: { entryId: id }, order: { receivedAt: 'ASC' } });
    const documents = await this.documentsOf(items.map((s) => s.id));
    return { items: items.map((s) => toStatementView(s, documents.get(s.id))), nextCursor: null };
  }

  private documentsOf(ids: string[]) {
    return documentRefsBy(this.db, 'statement', ids);
  }
}

function isParty(principal: Principal, entry: ListEntry): boolean {
  return (
    partyRight(principal, {
      subjectIds: [entry.subjectId, ...entry.subjectLegacyIds],
      relatedPersons: entry.relatedPersons,
    }) !== null
  );
}
