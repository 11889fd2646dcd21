import { DEPARTMENT_CODE } from '@credit/auth';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsNumber,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  COLOURS,
  Colour,
  LEGAL_BASIS_LEVELS,
  LegalBasisLevel,
  SEVERITIES,
  Severity,
  ENFORCEMENT_MODES,
  EnforcementMode,
  MEASURE_KINDS,
  MeasureKind,
  RELATED_ROLES,
  RelatedRole,
  SUBJECT_KINDS,
  SubjectKind,
} from '@credit/contracts';

/** One instrument a measure rests on (see lawful/legal-basis.ts). */
export class LegalInstrumentDto {
  @ApiProperty({ enum: LEGAL_BASIS_LEVELS, example: 'law' })
  @IsIn(LEGAL_BASIS_LEVELS)
  level!: LegalBasisLevel;

  @ApiProperty({ example: '《中华人民共和国政府采购法》' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title!: string;

  @ApiPropertyOptional({ example: '第二十二条' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  article?: string;

  @ApiPropertyOptional({ example: '1.5', description: '全国失信惩戒措施基础清单 item it implements' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  basicListItem?: string;
}

/** What an entry must show for a measure to reach it (过惩相当); every condition given must hold. */
export class MeasureConditionsDto {
  @ApiPropertyOptional({ example: 100000, description: 'the decision amount (yuan) at least this' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  minAmount?: number;

  @ApiPropertyOptional({ example: ['tax_invoice_fraud'], description: 'the decision names one of these' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsString({ each: true })
  violationKinds?: string[];
}

export class MeasureDto {
  @ApiProperty({ example: 'PROCUREMENT_BAN' })
  @Matches(/^[A-Z0-9_.-]{2,64}$/, { message: 'code must be 2–64 of A–Z, 0–9, _ . or -' })
  code!: string;

  @ApiProperty({ example: '限制参加政府采购活动' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  text!: string;

  @ApiProperty({ enum: MEASURE_KINDS })
  @IsIn(MEASURE_KINDS)
  kind!: MeasureKind;

  @ApiProperty({ example: 'FINANCE', description: 'the implementing department: its code' })
  @IsString()
  @Matches(DEPARTMENT_CODE, { message: 'dept must be a department code (2–32 of A–Z, 0–9, _ or -)' })
  dept!: string;

  @ApiPropertyOptional({
    example: '《中华人民共和国政府采购法》第二十二条',
    description:
      'the basis as text; required without legalBases, and then read as instruments (《…》 citations separated by ；)',
  })
  @ValidateIf((o: MeasureDto) => o.legalBases === undefined || o.legalBasis !== undefined)
  @IsString()
  @MinLength(1)
  legalBasis?: string;

  @ApiPropertyOptional({ type: LegalInstrumentDto, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => LegalInstrumentDto)
  legalBases?: LegalInstrumentDto[];

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'issued only on entries of this severity or worse' })
  @IsOptional()
  @IsIn(SEVERITIES)
  minSeverity?: Severity;

  @ApiPropertyOptional({ type: MeasureConditionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MeasureConditionsDto)
  conditions?: MeasureConditionsDto;

  @ApiProperty({ enum: SUBJECT_KINDS, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(SUBJECT_KINDS, { each: true })
  subjectKinds!: SubjectKind[];

  @ApiPropertyOptional({ enum: RELATED_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(RELATED_ROLES, { each: true })
  relatedRoles?: RelatedRole[];

  @ApiProperty({ example: ['government_procurement_bid'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @Matches(/^[a-z0-9_]{2,64}$/, { each: true, message: 'each action must be 2–64 of a–z, 0–9 or _' })
  actions!: string[];

  @ApiProperty({ enum: ENFORCEMENT_MODES })
  @IsIn(ENFORCEMENT_MODES)
  mode!: EnforcementMode;

  @ApiProperty({ example: 5 })
  @IsInt()
  @Min(0)
  @Max(60)
  feedbackWorkingDays!: number;
}

export class CreateMemorandumDto {
  @ApiProperty({ example: 'MOU-2016-COURT-DEFAULTERS' })
  @Matches(/^[A-Z0-9_.-]{2,64}$/, { message: 'code must be 2–64 of A–Z, 0–9, _ . or -' })
  code!: string;

  @ApiProperty({ example: '关于对失信被执行人实施联合惩戒的合作备忘录' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title!: string;

  @ApiProperty({ example: '发改财金〔2016〕141号' })
  @IsString()
  @MinLength(1)
  documentNo!: string;

  @ApiProperty({ example: ['COURT_DEFAULTER'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsString({ each: true })
  listTypes!: string[];

  @ApiProperty({ type: MeasureDto, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => MeasureDto)
  measures!: MeasureDto[];

  @ApiPropertyOptional({
    enum: COLOURS,
    description: 'the colour of the lists it acts on; when absent, black for punishments, red for incentives',
  })
  @IsOptional()
  @IsIn(COLOURS)
  colour?: Colour;

  @ApiPropertyOptional({ example: ['NDRC', 'PBOC', 'COURT'], description: '签署部门 (department codes)' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(DEPARTMENT_CODE, { each: true, message: 'each signatory must be a department code' })
  signatories?: string[];

  @ApiPropertyOptional({ example: '2016-01-20' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveFrom?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveTo?: string;
}

/** A change to a measure makes its next version (the code stays). */
export class ChangeMeasureDto extends OmitType(MeasureDto, ['code'] as const) {}

export class RetireMeasureDto {
  @ApiProperty({ example: '备忘录修订，该措施停止实施' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}

export class EffectivePeriodDto {
  @ApiProperty({ example: '2016-01-20' })
  @IsISO8601({ strict: true })
  effectiveFrom!: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'last day in force; absent: open-ended' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveTo?: string;

  @ApiProperty({ example: '备忘录修订，原备忘录废止' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}

export class ExcludeMeasureDto {
  @ApiProperty({ example: 'DEF-PROCUREMENT-BAN' })
  @Matches(/^[A-Z0-9_.-]{2,64}$/, { message: 'measureCode must be 2–64 of A–Z, 0–9, _ . or -' })
  measureCode!: string;

  @ApiProperty({ example: '判决仅涉及个人债务，与政府采购无关，依过惩相当原则不予适用' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}

export class ImportMemorandaDto {
  @ApiProperty({ type: CreateMemorandumDto, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => CreateMemorandumDto)
  memoranda!: CreateMemorandumDto[];
}
