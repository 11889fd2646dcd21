import { ApiProperty, OmitType, PickType } from '@nestjs/swagger';
import { ListType } from './list-type.entity';
import { DefineListTypeDto, ExtensionTermsDto, RepairConditionDto } from './list-type.dto';
import { SUBJECT_EXCLUSIONS, SubjectExclusion } from './periods';
import { repairTermsOf } from './repair-terms';
import { minStatementWorkingDaysOf } from './statement-terms';

/*
 * The answers of /v1/list-types, declared for the OpenAPI document (and so the console's generated types).
 * Only the document reads these classes: a route answers the plain object toListTypeView makes. A field
 * the definition (list-type.dto.ts) declares with the same name and the same required type is taken from
 * it; what an answer always holds where the definition may leave it out (criteria, publishMinor, …) or
 * names differently (the repair terms) is declared here.
 */

export class ListTypeRepairView {
  @ApiProperty({ description: '信用修复: whether an entry may be repaired early' })
  repairable!: boolean;

  @ApiProperty({ description: 'days from publication before a repair may be applied for' })
  minRepairDays!: number;

  @ApiProperty({ type: String, nullable: true, description: 'why minRepairDays differs from the default' })
  minRepairDaysReason!: string | null;

  @ApiProperty({ type: [RepairConditionDto], description: 'the repair checklist' })
  conditions!: RepairConditionDto[];

  @ApiProperty({ description: '信用承诺书 required with a repair application' })
  commitmentRequired!: boolean;

  @ApiProperty()
  acceptWorkingDays!: number;

  @ApiProperty()
  decideWorkingDays!: number;
}

export class ListTypeExtensionView extends OmitType(ExtensionTermsDto, ['maxTimes'] as const) {
  @ApiProperty({ description: 'how many times an entry may be extended' })
  maxTimes!: number;
}

export class ListTypeView extends PickType(DefineListTypeDto, [
  'code',
  'name',
  'colour',
  'ownerDept',
  'legalBasis',
  'infoClass',
  'severity',
  'defaultPeriodDays',
  'subjectKinds',
  'noticeWorkingDays',
  'suspendOnObjection',
] as const) {
  @ApiProperty({ description: 'the shortest statement period (陈述申辩期), in working days' })
  minStatementWorkingDays!: number;

  @ApiProperty({ type: String, nullable: true })
  minStatementReason!: string | null;

  @ApiProperty()
  objectionWorkingDays!: number;

  @ApiProperty({ type: String, nullable: true, description: '认定标准' })
  criteria!: string | null;

  @ApiProperty({ type: String, nullable: true, description: '退出条件' })
  exitConditions!: string | null;

  @ApiProperty()
  publishMinor!: boolean;

  @ApiProperty({ type: ListTypeRepairView })
  repair!: ListTypeRepairView;

  @ApiProperty()
  openEndedAllowed!: boolean;

  @ApiProperty({ type: ListTypeExtensionView, nullable: true })
  extension!: ListTypeExtensionView | null;

  @ApiProperty({ enum: SUBJECT_EXCLUSIONS, isArray: true })
  excludedSubjects!: SubjectExclusion[];

  @ApiProperty()
  endsOnBlackListing!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class ListTypePage {
  @ApiProperty({ type: [ListTypeView] })
  items!: ListTypeView[];

  @ApiProperty({ type: String, nullable: true, description: 'the next page’s cursor; null on the last' })
  nextCursor!: string | null;
}

export function toListTypeView(t: ListType): ListTypeView {
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
