import { Inject, Injectable } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import { codePage, codePageOf, conflict, notFound, PageQueryDto, unprocessable } from '@credit/platform';
import { Department } from '../departments/department.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { ListTypeAccess } from './list-type-access';
import { ChangeListTypeDto, DefineListTypeDto } from './list-type.dto';
import { ListType } from './list-type.entity';
import { toListTypeView } from './list-type.view';
import { assertRepairOverrideHasReason } from './repair-terms';
import { assertPeriodFitsSeverity } from './severity';
import { assertStatementTerms } from './statement-terms';

/**
 * 名单类型: the definitions, their changes and their reads. A write announces the class in its own
 * transaction (trigger's fan-out, decision 0023); the caller wakes the relay once it committed.
 */
@Injectable()
export class ListTypeRepository {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly access: ListTypeAccess,
  ) {}

  /** A new list type, when its owner is registered and its code free. */
  define(body: DefineListTypeDto) {
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
      assertTermsFit(body);
      const saved = await manager.save(manager.create(ListType, { code: body.code, ...termsOf(body) }));
      // its class, for trigger's fan-out (decision 0023)
      await this.access.announce(manager, [saved]);
      return toListTypeView(saved);
    });
  }

  /** A list type's new terms (decision 0038): its code, colour and owner stay. */
  change(code: string, body: ChangeListTypeDto) {
    return this.db.transaction(async (manager) => {
      const found = await manager.findOne(ListType, { where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw notFound('LIST_TYPE.NOT_FOUND', `list type ${code} does not exist`);
      if (body.colour !== found.colour) {
        throw unprocessable(
          'LIST_TYPE.COLOUR_FIXED',
          `list type ${code} is ${found.colour}: a list's colour does not change (define a new list type)`,
          'colour',
        );
      }
      if (body.ownerDept !== found.ownerDept) {
        throw unprocessable(
          'LIST_TYPE.OWNER_FIXED',
          `list type ${code} belongs to ${found.ownerDept}: its owner does not change`,
          'ownerDept',
        );
      }
      assertTermsFit(body);
      const saved = await manager.save(Object.assign(found, termsOf(body)));
      await this.access.announce(manager, [saved]);
      return toListTypeView(saved);
    });
  }

  /** One list type; 404 when it does not exist. */
  async byCode(code: string) {
    const found = await this.db.getRepository(ListType).findOneBy({ code });
    if (!found) throw notFound('LIST_TYPE.NOT_FOUND', `list type ${code} does not exist`);
    return toListTypeView(found);
  }

  /** List types by code, a page at a time. */
  async page(query: PageQueryDto) {
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
    throw unprocessable(
      'LIST_TYPE.EXTENSION_BOUNDS_INVALID',
      'extension.minDays must not exceed extension.maxDays',
      'extension.minDays',
    );
  }
  if (body.endsOnBlackListing && body.colour !== 'red') {
    throw unprocessable(
      'LIST_TYPE.ENDS_ON_BLACK_LISTING_RED_ONLY',
      'only a red list ends when its subject is black-listed (红黑名单互斥仅适用于红名单)',
      'endsOnBlackListing',
    );
  }
}
