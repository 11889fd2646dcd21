import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { uuidParam } from '@credit/platform';
import { ObjectionQueryDto, OpenObjectionDto, ResolveObjectionDto } from './objection.dto';
import { ObjectionQueries } from './objection.queries';
import { OpenObjectionUseCase } from './open-objection.usecase';
import { ResolveObjectionUseCase } from './resolve-objection.usecase';
import { ENTRY_READERS } from '../list-entries/list-entry.read-access';
import { RecordsAccess } from '@credit/messaging';

const uuid = uuidParam('id');

@ApiTags('objections')
@ApiBearerAuth()
@Controller('v1')
export class ObjectionsController {
  constructor(
    private readonly queries: ObjectionQueries,
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
    return this.queries.readableBy(principal, query);
  }

  /** The caller's own objections (filed by it, for it, or on entries about it) and their outcomes. */
  @RecordsAccess()
  @Get('me/objections')
  @Roles('subject')
  async mine(@CurrentPrincipal() principal: Principal) {
    return this.queries.ofSubject(principal);
  }

  /** The correction history of an entry (信息更正记录). */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('list-entries/:id/amendments')
  @Roles(...ENTRY_READERS)
  async amendments(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.queries.amendmentsOf(principal, id);
  }
}
