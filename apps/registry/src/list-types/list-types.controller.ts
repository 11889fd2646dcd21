import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource, MoreThan } from 'typeorm';
import { Roles } from '@credit/auth';
import { codePage, codePageOf, DomainError, PageQueryDto } from '@credit/platform';
import { Department } from '../departments/department.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { ListTypeAccess } from './list-type-access';
import { ChangeListTypeDto, DefineListTypeDto } from './list-type.dto';
import { ListType } from './list-type.entity';
import { assertRepairOverrideHasReason, repairTermsOf } from './repair-terms';
import { assertPeriodFitsSeverity } from './severity';
import { assertStatementTerms, minStatementWorkingDaysOf } from './statement-terms';
import { DepartmentErrors } from '../departments/department.errors';
import { ListTypeErrors } from './list-type.errors';

@ApiTags('list-types')
@ApiBearerAuth()
@Controller('v1/list-types')
export class ListTypesController {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly access: ListTypeAccess,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  async define(@Body() body: DefineListTypeDto) {
    const view = await this.db.transaction(async (manager) => {
      if (!(await manager.existsBy(Department, { code: body.ownerDept }))) {
        throw new DomainError({
          error: DepartmentErrors.NOT_FOUND,
          detail: `department ${body.ownerDept} is not registered`,
          field: 'ownerDept',
        });
      }
      if (await manager.existsBy(ListType, { code: body.code })) {
        throw new DomainError({
          error: ListTypeErrors.ALREADY_EXISTS,
          detail: `list type ${body.code} already exists`,
        });
      }
      assertTermsFit(body);
      const saved = await manager.save(manager.create(ListType, { code: body.code, ...termsOf(body) }));
      // its class, for trigger's fan-out (decision 0023)
      await this.access.announce(manager, [saved]);
      return toListTypeView(saved);
    });
    this.access.wakeRelay();
    return view;
  }

  /**
   * Changes a list type's terms (decision 0038): the whole definition but its code, colour and owner. New
   * entries follow the new terms at once; entries already made keep their period and deadlines, and a
   * change of class reaches trigger (its fan-out) as at definition, not the public rows already written.
   */
  @Put(':code')
  @Roles('admin')
  async change(@Param('code') code: string, @Body() body: ChangeListTypeDto) {
    const view = await this.db.transaction(async (manager) => {
      const found = await manager.findOne(ListType, { where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!found)
        throw new DomainError({
          error: ListTypeErrors.NOT_FOUND,
          detail: `list type ${code} does not exist`,
        });
      if (body.colour !== found.colour) {
        throw new DomainError({
          error: ListTypeErrors.COLOUR_FIXED,
          detail: `list type ${code} is ${found.colour}: a list's colour does not change (define a new list type)`,
          field: 'colour',
        });
      }
      if (body.ownerDept !== found.ownerDept) {
        throw new DomainError({
          error: ListTypeErrors.OWNER_FIXED,
          detail: `list type ${code} belongs to ${found.ownerDept}: its owner does not change`,
          field: 'ownerDept',
        });
      }
      assertTermsFit(body);
      const saved = await manager.save(Object.assign(found, termsOf(body)));
      await this.access.announce(manager, [saved]);
      return toListTypeView(saved);
    });
    this.access.wakeRelay();
    return view;
  }

  @Get(':code')
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  async get(@Param('code') code: string) {
    const found = await this.db.getRepository(ListType).findOneBy({ code });
    if (!found)
      throw new DomainError({ error: ListTypeErrors.NOT_FOUND, detail: `list type ${code} does not exist` });
    return toListTypeView(found);
  }

  @Get()
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  async list(@Query() query: PageQueryDto) {
    const page = codePageOf(query);
    const rows = await this.db.getRepository(ListType).find({
      where: page.after !== undefined ? { code: MoreThan(page.after) } : {},
      order: { code: 'ASC' },
      take: page.take,
    });
    return codePage(rows, page, (t) => t.code, toListTypeView);
  }
}

/** The rules a definition's terms obey, at definition and at every change. */
function assertTermsFit(body: ChangeListTypeDto): void {
  assertPeriodFitsSeverity(body.severity, body.defaultPeriodDays, 'defaultPeriodDays');
  assertRepairOverrideHasReason(body.severity, body.minRepairDays, body.minRepairDaysReason);
  assertPeriodTermsFit(body);
  assertStatementTerms({ ...body, minStatementWorkingDays: body.minStatementWorkingDays ?? null });
}

/** The stored terms of a definition, defaults filled in (a change states them all, as a definition does). */
function termsOf(body: ChangeListTypeDto) {
  const { extension, ...fields } = body;
  return {
    ...fields,
    openEndedAllowed: body.openEndedAllowed ?? false,
    extensionMinDays: extension?.minDays ?? null,
    extensionMaxDays: extension?.maxDays ?? null,
    maxExtensions: extension?.maxTimes ?? 1,
    excludedSubjects: body.excludedSubjects ?? [],
    endsOnBlackListing: body.endsOnBlackListing ?? false,
    objectionWorkingDays: body.objectionWorkingDays ?? 5,
    criteria: body.criteria ?? null,
    exitConditions: body.exitConditions ?? null,
    publishMinor: body.publishMinor ?? false,
    repairable: body.repairable ?? true,
    minRepairDays: body.minRepairDays ?? null,
    minRepairDaysReason: body.minRepairDaysReason ?? null,
    repairConditions: (body.repairConditions ?? []).map(({ code, text }) => ({ code, text })),
    commitmentRequired: body.commitmentRequired ?? true,
    repairAcceptWorkingDays: body.repairAcceptWorkingDays ?? 2,
    repairDecideWorkingDays: body.repairDecideWorkingDays ?? 5,
    minStatementWorkingDays: body.minStatementWorkingDays ?? null,
    minStatementReason: body.minStatementReason ?? null,
  };
}

/** Extension bounds in order; only a red list may end on a black listing. */
function assertPeriodTermsFit(body: ChangeListTypeDto): void {
  if (body.extension && body.extension.minDays > body.extension.maxDays) {
    throw new DomainError({
      error: ListTypeErrors.EXTENSION_BOUNDS_INVALID,
      detail: 'extension.minDays must not exceed extension.maxDays',
      field: 'extension.minDays',
    });
  }
  if (body.endsOnBlackListing && body.colour !== 'red') {
    throw new DomainError({
      error: ListTypeErrors.ENDS_ON_BLACK_LISTING_RED_ONLY,
      detail: 'only a red list ends when its subject is black-listed (红黑名单互斥仅适用于红名单)',
      field: 'endsOnBlackListing',
    });
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
    publishMinor: t.publishMinor,
    repair: { ...repairTermsOf(t), minRepairDaysReason: t.minRepairDaysReason },
    openEndedAllowed: t.openEndedAllowed,
    extension:
      t.extensionMinDays !== null && t.extensionMaxDays !== null
        ? { minDays: t.extensionMinDays, maxDays: t.extensionMaxDays, maxTimes: t.maxExtensions }
        : null,
    excludedSubjects: t.excludedSubjects,
    endsOnBlackListing: t.endsOnBlackListing,
    createdAt: t.createdAt.toISOString(),
  };
}
