import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@credit/auth';
import { conflict, notFound, unprocessable } from '@credit/platform';
import { Department } from '../departments/department.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { DefineListTypeDto } from './list-type.dto';
import { ListType } from './list-type.entity';
import { assertRepairOverrideHasReason, repairTermsOf } from './repair-terms';
import { assertPeriodFitsSeverity } from './severity';
import { assertStatementTerms, minStatementWorkingDaysOf } from './statement-terms';

@ApiTags('list-types')
@ApiBearerAuth()
@Controller('v1/list-types')
export class ListTypesController {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  async define(@Body() body: DefineListTypeDto) {
    return this.db.transaction(async (manager) => {
      if (!(await manager.existsBy(Department, { code: body.ownerDept }))) {
        throw unprocessable(
          'DEPARTMENT.NOT_FOUND',
          `department ${body.ownerDept} is not registered`,
          'ownerDept',
        );
      }
      if (await manager.existsBy(ListType, { code: body.code })) {
        throw conflict('LIST_TYPE.ALREADY_EXISTS', `list type ${body.code} already exists`);
      }
      assertPeriodFitsSeverity(body.severity, body.defaultPeriodDays, 'defaultPeriodDays');
      assertRepairOverrideHasReason(body.severity, body.minRepairDays, body.minRepairDaysReason);
      assertStatementTerms({ ...body, minStatementWorkingDays: body.minStatementWorkingDays ?? null });
      const saved = await manager.save(
        manager.create(ListType, {
          ...body,
          objectionWorkingDays: body.objectionWorkingDays ?? 5,
          criteria: body.criteria ?? null,
          exitConditions: body.exitConditions ?? null,
          repairable: body.repairable ?? true,
          minRepairDays: body.minRepairDays ?? null,
          minRepairDaysReason: body.minRepairDaysReason ?? null,
          repairConditions: (body.repairConditions ?? []).map(({ code, text }) => ({ code, text })),
          commitmentRequired: body.commitmentRequired ?? true,
          repairAcceptWorkingDays: body.repairAcceptWorkingDays ?? 2,
          repairDecideWorkingDays: body.repairDecideWorkingDays ?? 5,
          minStatementWorkingDays: body.minStatementWorkingDays ?? null,
          minStatementReason: body.minStatementReason ?? null,
        }),
      );
      return toListTypeView(saved);
    });
  }

  @Get(':code')
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  async get(@Param('code') code: string) {
    const found = await this.db.getRepository(ListType).findOneBy({ code });
    if (!found) throw notFound('LIST_TYPE.NOT_FOUND', `list type ${code} does not exist`);
    return toListTypeView(found);
  }

  @Get()
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  async list() {
    const items = await this.db.getRepository(ListType).find({ order: { code: 'ASC' } });
    return { items: items.map(toListTypeView), nextCursor: null };
  }
}

export function toListTypeView(t: ListType) {
  return {
    code: t.code,
    name: t.name,
    colour: t.colour,
    ownerDept: t.ownerDept,
    legalBasis: t.legalBasis,
    infoClass: t.infoClass,
    severity: t.severity,
    defaultPeriodDays: t.defaultPeriodDays,
    subjectKinds: t.subjectKinds,
    noticeWorkingDays: t.noticeWorkingDays,
    minStatementWorkingDays: minStatementWorkingDaysOf(t),
    minStatementReason: t.minStatementReason,
    suspendOnObjection: t.suspendOnObjection,
    objectionWorkingDays: t.objectionWorkingDays,
    criteria: t.criteria,
    exitConditions: t.exitConditions,
    repair: { ...repairTermsOf(t), minRepairDaysReason: t.minRepairDaysReason },
    createdAt: t.createdAt.toISOString(),
  };
}
