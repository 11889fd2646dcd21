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
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  ENFORCEMENT_MODES,
  EnforcementMode,
  MEASURE_KINDS,
  MeasureKind,
  RELATED_ROLES,
  RelatedRole,
  SUBJECT_KINDS,
  SubjectKind,
} from '@credit/contracts';

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

  @ApiProperty({ example: 'FINANCE' })
  @IsString()
  @MinLength(1)
  dept!: string;

  @ApiProperty({ example: '《中华人民共和国政府采购法》第二十二条' })
  @IsString()
  @MinLength(1)
  legalBasis!: string;

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

  @ApiPropertyOptional({ example: ['NDRC', 'PBOC', 'COURT'], description: '签署部门 (department codes)' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
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

export class ImportMemorandaDto {
  @ApiProperty({ type: CreateMemorandumDto, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => CreateMemorandumDto)
  memoranda!: CreateMemorandumDto[];
}
