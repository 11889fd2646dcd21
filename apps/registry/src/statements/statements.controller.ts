import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, partyRight, Principal, Roles } from '@credit/auth';
import { RecordsAccess } from '@credit/messaging';
import { decodeCursor, encodeCursor, notFound, uuidParam } from '@credit/platform';
import { ListEntry } from '../list-entries/list-entry.entity';
import { notAParty } from '../list-entries/list-entry.party-access';
import { loadReadableEntry, scopeToReader } from '../list-entries/list-entry.read-access';
import { REGISTRY_DB } from '../registry.tokens';
import { AnswerStatementDto, FileStatementDto, StatementQueryDto } from './statement.dto';
import { Statement } from './statement.entity';
import { AnswerStatementUseCase } from './answer-statement.usecase';
import { FileStatementUseCase } from './file-statement.usecase';
import { StatementDocumentRef, toStatementView } from './statement.view';
import { EntryDocument } from '../documents/document.entity';

const uuid = uuidParam('id');

@ApiTags('statements')
@ApiBearerAuth()
@Controller('v1')
export class StatementsController {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly fileStatement: FileStatementUseCase,
    private readonly answerStatement: AnswerStatementUseCase,
  ) {}

  /** 陈述申辩 during the statement period → 201 with the receipt number. */
  @Post('list-entries/:id/statements')
  @HttpCode(201)
  @Roles('subject', 'credit_office', 'initiator')
  file(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: FileStatementDto,
  ) {
    return this.fileStatement.execute(principal, id, body);
  }

  /** The owner's answer; an accepted statement ends the entry revoked or corrected. */
  @Post('statements/:id/answer')
  @HttpCode(200)
  @Roles('initiator')
  answer(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: AnswerStatementDto,
  ) {
    return this.answerStatement.execute(principal, id, body);
  }

  /**
   * The department's statements (a supervisor: all, or its region's), oldest first, each with its entry's
   * subject and statement deadline: the owner's work list for answering them (the console's 陈述申辩 tab).
   * Keyset cursor on (received time, id).
   */
  @RecordsAccess()
  @Get('statements')
  @Roles('initiator', 'supervisor')
  async listForOwner(@CurrentPrincipal() principal: Principal, @Query() query: StatementQueryDto) {
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
  @RecordsAccess()
  @Get('statements/:id')
  @Roles('subject', 'initiator', 'supervisor')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    const statement = await this.db.getRepository(Statement).findOneBy({ id });
    if (principal.roles.includes('subject')) {
      const entry =
        statement && (await this.db.getRepository(ListEntry).findOneBy({ id: statement.entryId }));
      if (!statement || !entry || !isParty(principal, entry)) throw notAParty();
    } else {
      if (!statement) throw notFound('STATEMENT.NOT_FOUND', `statement ${id} does not exist`);
      await loadReadableEntry(this.db, statement.entryId, principal);
    }
    return toStatementView(statement, (await this.documentsOf([statement.id])).get(statement.id));
  }

  /** The statements on an entry: for its parties (403 to other subjects), its owner and supervisors. */
  @RecordsAccess()
  @Get('list-entries/:id/statements')
  @Roles('subject', 'initiator', 'supervisor')
  async list(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
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

  /** The answer documents of statements, by statement. */
  private async documentsOf(ids: string[]): Promise<Map<string, StatementDocumentRef[]>> {
    const byStatement = new Map<string, StatementDocumentRef[]>();
    if (ids.length === 0) return byStatement;
    const documents = await this.db
      .getRepository(EntryDocument)
      .createQueryBuilder('d')
      .where('d.statement_id IN (:...ids)', { ids })
      .orderBy('d.requested_at', 'ASC')
      .getMany();
    for (const d of documents) {
      const list = byStatement.get(d.statementId!) ?? [];
      list.push({
        id: d.id,
        kind: d.kind,
        title: d.title,
        status: d.status,
        issuedAt: d.issuedAt?.toISOString() ?? null,
        download: d.status === 'issued' ? `/v1/documents/${d.id}` : null,
      });
      byStatement.set(d.statementId!, list);
    }
    return byStatement;
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
