import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import {
  COLOURS,
  Colour,
  INFO_CLASSES,
  InfoClass,
  SEVERITIES,
  Severity,
  SUBJECT_KINDS,
  SubjectKind,
} from '@credit/contracts';
import { SUBJECT_EXCLUSIONS, SubjectExclusion } from './periods';

export class RepairConditionDto {
  @ApiProperty({ example: 'fine_paid' })
  @Matches(/^[a-z][a-z0-9_]{1,63}$/, {
    message: 'code must be 2–64 of a–z, 0–9 or _, starting with a letter',
  })
  code!: string;

  @ApiProperty({ example: '已缴纳罚款、滞纳金' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  text!: string;
}

export class ExtensionTermsDto {
  @ApiProperty({ example: 365, description: 'shortest extension, in days' })
  @IsInt()
  @Min(1)
  @Max(3650)
  minDays!: number;

  @ApiProperty({ example: 1095, description: 'longest extension, in days' })
  @IsInt()
  @Min(1)
  @Max(3650)
  maxDays!: number;

  @ApiPropertyOptional({ default: 1, description: 'how many times an entry may be extended' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  maxTimes?: number;
}

export class DefineListTypeDto {
  @ApiProperty({ example: 'COURT_DEFAULTER' })
  @Matches(/^[A-Z0-9_-]{2,64}$/, { message: 'code must be 2–64 of A–Z, 0–9, _ or -' })
  code!: string;

  @ApiProperty({ example: '失信被执行人名单' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: COLOURS })
  @IsIn(COLOURS)
  colour!: Colour;

  @ApiProperty({ example: 'COURT' })
  @IsString()
  @MinLength(1)
  ownerDept!: string;

  @ApiProperty({ example: '《最高人民法院关于公布失信被执行人名单信息的若干规定》' })
  @IsString()
  @MinLength(1)
  legalBasis!: string;

  @ApiProperty({ enum: INFO_CLASSES })
  @IsIn(INFO_CLASSES)
  infoClass!: InfoClass;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity!: Severity;

  @ApiProperty({ example: 730 })
  @IsInt()
  @Min(1)
  @Max(3650)
  defaultPeriodDays!: number;

  @ApiProperty({ enum: SUBJECT_KINDS, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(SUBJECT_KINDS, { each: true })
  subjectKinds!: SubjectKind[];

  @ApiProperty({ example: 5, description: 'statement period after notice, in working days' })
  @IsInt()
  @Min(0)
  @Max(60)
  noticeWorkingDays!: number;

  @ApiPropertyOptional({
    description:
      'the shortest statement period (陈述申辩期) in working days; default 5 for a serious black list, else 0',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  minStatementWorkingDays?: number;

  @ApiPropertyOptional({ description: 'the legal basis for a minimum below the default (required then)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  minStatementReason?: string;

  @ApiProperty()
  @IsBoolean()
  suspendOnObjection!: boolean;

  @ApiPropertyOptional({ default: 5, description: 'working days to resolve an objection, at most 20' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  objectionWorkingDays?: number;

  @ApiPropertyOptional({ description: '认定标准: what puts a subject on this list' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  criteria?: string;

  @ApiPropertyOptional({ description: '退出条件: when a subject may leave the list early' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  exitConditions?: string;

  @ApiPropertyOptional({
    default: false,
    description: '公示 of a minor-severity list type (class A): published only when true',
  })
  @IsOptional()
  @IsBoolean()
  publishMinor?: boolean;

  @ApiPropertyOptional({ default: true, description: '信用修复: whether an entry may be repaired early' })
  @IsOptional()
  @IsBoolean()
  repairable?: boolean;

  @ApiPropertyOptional({
    description:
      'days from publication before a repair may be applied for (default: minor 0, general 90, serious 365)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  minRepairDays?: number;

  @ApiPropertyOptional({ description: 'why minRepairDays differs from the severity default (required then)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  minRepairDaysReason?: string;

  @ApiPropertyOptional({
    type: [RepairConditionDto],
    description: 'the repair checklist (default: standard conditions)',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique((c: RepairConditionDto) => c.code)
  @ValidateNested({ each: true })
  @Type(() => RepairConditionDto)
  repairConditions?: RepairConditionDto[];

  @ApiPropertyOptional({ default: true, description: '信用承诺书 required with a repair application' })
  @IsOptional()
  @IsBoolean()
  commitmentRequired?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'an entry may be in force until the obligation is performed (无固定期限)',
  })
  @IsOptional()
  @IsBoolean()
  openEndedAllowed?: boolean;

  @ApiPropertyOptional({
    type: ExtensionTermsDto,
    description: '延长公示期: bounds of an extension (absent: not extendable)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExtensionTermsDto)
  extension?: ExtensionTermsDto;

  @ApiPropertyOptional({
    enum: SUBJECT_EXCLUSIONS,
    isArray: true,
    description: 'subjects the list may not take',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(SUBJECT_EXCLUSIONS, { each: true })
  excludedSubjects?: SubjectExclusion[];

  @ApiPropertyOptional({
    default: false,
    description: 'red lists only: an entry ends (revoked) when its subject is black-listed',
  })
  @IsOptional()
  @IsBoolean()
  endsOnBlackListing?: boolean;

  @ApiPropertyOptional({ default: 2, description: 'working days to accept a repair application' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  repairAcceptWorkingDays?: number;

  @ApiPropertyOptional({ default: 5, description: 'working days to decide after acceptance' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  repairDecideWorkingDays?: number;
}

/**
 * A list type's terms changed (PUT /v1/list-types/{code}): the whole definition but its code. Colour and
 * owner stay what they were (measures, red/black exclusion and the entries' owner depend on them).
 */
export class ChangeListTypeDto extends OmitType(DefineListTypeDto, ['code'] as const) {}
