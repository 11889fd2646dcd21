import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { RecordsAccess } from '@credit/messaging';
import { uuidParam } from '@credit/platform';
import {
  DecideRepairDto,
  RepairQueryDto,
  RequestMaterialDto,
  SubmitRepairDto,
  SupplyMaterialDto,
  WithdrawRepairDto,
} from './repair.dto';
import { RepairQueries } from './repair.queries';
import { AcceptRepairUseCase } from './accept-repair.usecase';
import { DecideRepairUseCase } from './decide-repair.usecase';
import { RequestRepairMaterialUseCase } from './request-repair-material.usecase';
import { SubmitRepairUseCase } from './submit-repair.usecase';
import { SupplyRepairMaterialUseCase } from './supply-repair-material.usecase';
import { WithdrawRepairUseCase } from './withdraw-repair.usecase';

const uuid = uuidParam('id');

/** 信用修复 (API.md "The listed subject as a party"; decision 0025). */
@ApiTags('repairs')
@ApiBearerAuth()
@Controller('v1')
export class RepairsController {
  constructor(
    private readonly submitRepair: SubmitRepairUseCase,
    private readonly requestRepairMaterial: RequestRepairMaterialUseCase,
    private readonly supplyRepairMaterial: SupplyRepairMaterialUseCase,
    private readonly acceptRepair: AcceptRepairUseCase,
    private readonly decideRepair: DecideRepairUseCase,
    private readonly withdrawRepair: WithdrawRepairUseCase,
    private readonly queries: RepairQueries,
  ) {}

  @Post('list-entries/:id/repair-applications')
  @HttpCode(201)
  @Roles('subject', 'credit_office', 'initiator')
  submit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: SubmitRepairDto,
  ) {
    return this.submitRepair.execute(principal, id, body);
  }

  @Post('repair-applications/:id/request-material')
  @HttpCode(200)
  @Roles('initiator')
  requestMaterial(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: RequestMaterialDto,
  ) {
    return this.requestRepairMaterial.execute(principal, id, body);
  }

  @Post('repair-applications/:id/supply-material')
  @HttpCode(200)
  @Roles('subject', 'credit_office', 'initiator')
  supplyMaterial(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: SupplyMaterialDto,
  ) {
    return this.supplyRepairMaterial.execute(principal, id, body);
  }

  @Post('repair-applications/:id/accept')
  @HttpCode(200)
  @Roles('initiator')
  accept(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.acceptRepair.execute(principal, id);
  }

  @Post('repair-applications/:id/decide')
  @HttpCode(200)
  @Roles('initiator')
  decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: DecideRepairDto,
  ) {
    return this.decideRepair.execute(principal, id, body);
  }

  /** 撤回: the applicant (or the counter for it) withdraws an application not yet decided (decision 0030). */
  @Post('repair-applications/:id/withdrawal')
  @HttpCode(200)
  @Roles('subject', 'credit_office')
  withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: WithdrawRepairDto,
  ) {
    return this.withdrawRepair.execute(principal, id, body);
  }

  /** The department's applications (supervisors: all, or their region's); `overdue=true` the late ones. */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('repair-applications')
  @Roles('initiator', 'supervisor')
  list(@CurrentPrincipal() principal: Principal, @Query() query: RepairQueryDto) {
    return this.queries.list(principal, query);
  }

  @RecordsAccess()
  @Get('repair-applications/:id')
  @Roles('subject', 'credit_office', 'initiator', 'supervisor')
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.queries.get(principal, id);
  }

  /** The subject's own applications, with status, deadlines and documents. */
  @RecordsAccess()
  @Get('me/applications')
  @Roles('subject')
  mine(@CurrentPrincipal() principal: Principal) {
    return this.queries.mine(principal);
  }
}
