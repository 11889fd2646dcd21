import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { uuidParam } from '@credit/platform';
import { scopeToReader } from '../list-entries/list-entry.read-access';
import { REGISTRY_DB } from '../registry.tokens';
import { DecideRepairDto, SubmitRepairDto } from './repair.dto';
import { RepairApplication } from './repair-application.entity';
import { REPAIR_STATUSES, RepairStatus } from './repair.state-machine';
import { RepairUseCases, toRepairView } from './repairs.usecases';
import { RecordsAccess } from '@credit/messaging';

const uuid = uuidParam('id');

class RepairQueryDto {
  @IsOptional() @IsIn(REPAIR_STATUSES) status?: RepairStatus;
  @IsOptional() @IsUUID() entryId?: string;
}

@ApiTags('repairs')
@ApiBearerAuth()
@Controller('v1')
export class RepairsController {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly repairs: RepairUseCases,
  ) {}

  @Post('list-entries/:id/repair-applications')
  @HttpCode(201)
  @Roles('initiator')
  submit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: SubmitRepairDto,
  ) {
    return this.repairs.submit(principal, id, body);
  }

  @Post('repair-applications/:id/decide')
  @HttpCode(200)
  @Roles('initiator')
  decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: DecideRepairDto,
  ) {
    return this.repairs.decide(principal, id, body);
  }

  @RecordsAccess() // who read which subjects goes to the access log
  @Get('repair-applications')
  @Roles('initiator', 'supervisor')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: RepairQueryDto) {
    const qb = this.db
      .getRepository(RepairApplication)
      .createQueryBuilder('r')
      .orderBy('r.submitted_at', 'ASC')
      .limit(500);
    scopeToReader(qb, 'r.owner_dept', principal);
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.entryId) qb.andWhere('r.entry_id = :entryId', { entryId: query.entryId });
    return { items: (await qb.getMany()).map(toRepairView), nextCursor: null };
  }
}
