import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { uuidParam } from '@credit/platform';
import { EntryAmendment } from './entry-amendment.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { ObjectionQueryDto, OpenObjectionDto, ResolveObjectionDto } from './objection.dto';
import { Objection } from './objection.entity';
import { toObjectionView } from './objection.view';
import { OpenObjectionUseCase } from './open-objection.usecase';
import { ResolveObjectionUseCase } from './resolve-objection.usecase';
import { ENTRY_READERS, loadReadableEntry, scopeToReader } from '../list-entries/list-entry.read-access';
import { RecordsAccess } from '@credit/messaging';
import { ListEntry } from '../list-entries/list-entry.entity';

const uuid = uuidParam('id');

@ApiTags('objections')
@ApiBearerAuth()
@Controller('v1')
export class ObjectionsController {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly openObjection: OpenObjectionUseCase,
    private readonly resolveObjection: ResolveObjectionUseCase,
  ) {}

  /** 异议: filed by the subject, by the counter for it, or by the owning department on its behalf. */
  @Post('list-entries/:id/objections')
  @HttpCode(201)
  @Roles('initiator', 'subject', 'credit_office')
  open(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: OpenObjectionDto,
  ) {
    return this.openObjection.execute(principal, id, body.reason, new Date(), body.onBehalfOf);
  }

  @Post('objections/:id/resolve')
  @HttpCode(200)
  @Roles('initiator')
  resolve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ResolveObjectionDto,
  ) {
    return this.resolveObjection.execute(principal, id, body);
  }

  /** Objections of the caller's department (all, for a supervisor); `overdue=true` shows the late ones. */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('objections')
  @Roles('initiator', 'supervisor')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ObjectionQueryDto) {
    const now = new Date();
    const qb = this.db
      .getRepository(Objection)
      .createQueryBuilder('o')
      .orderBy('o.deadline', 'ASC')
      .limit(500);
    scopeToReader(qb, 'o.owner_dept', principal);
    if (query.entryId) qb.andWhere('o.entry_id = :entryId', { entryId: query.entryId });
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    if (query.overdue === 'true') qb.andWhere("o.status = 'open' AND o.deadline < :now", { now });
    const items = await qb.getMany();
    return { items: items.map((o) => toObjectionView(o, now)), nextCursor: null };
  }

  /** The caller's own objections (filed by it, for it, or on entries about it) and their outcomes. */
  @RecordsAccess()
  @Get('me/objections')
  @Roles('subject')
  async mine(@CurrentPrincipal() principal: Principal) {
    const now = new Date();
    const items = await this.db
      .getRepository(Objection)
      .createQueryBuilder('o')
      .innerJoin(ListEntry, 'e', 'e.id = o.entry_id')
      .where(
        '(o.on_behalf_of = :me OR (o.on_behalf_of IS NULL AND (e.subject_id = :me OR :me = ANY(e.subject_legacy_ids))))',
        { me: principal.sub },
      )
      .orderBy('o.opened_at', 'DESC')
      .limit(500)
      .getMany();
    return { items: items.map((o) => toObjectionView(o, now)), nextCursor: null };
  }

  /** The correction history of an entry (信息更正记录). */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('list-entries/:id/amendments')
  @Roles(...ENTRY_READERS)
  async amendments(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    await loadReadableEntry(this.db, id, principal); // whoever may read the entry reads its corrections
    const items = await this.db
      .getRepository(EntryAmendment)
      .find({ where: { entryId: id }, order: { id: 'ASC' } });
    return {
      items: items.map((a) => ({
        changed: a.changed,
        before: a.before,
        after: a.after,
        reason: a.reason,
        objectionId: a.objectionId,
        amendedAt: a.amendedAt.toISOString(),
        amendedBy: a.amendedBy,
      })),
      nextCursor: null,
    };
  }
}
