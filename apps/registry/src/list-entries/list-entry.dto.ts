import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { OWNER_END_REASONS, RELATED_ROLES, RelatedRole, SUBJECT_KINDS, SubjectKind } from '@credit/contracts';
import { NOTICE_CHANNELS, NoticeChannel } from './list-entry.entity';

export class SubjectDto {
  @ApiProperty({ enum: SUBJECT_KINDS })
  @IsIn(SUBJECT_KINDS)
  kind!: SubjectKind;

  @ApiProperty({ example: '91330106MA2H7QK4XQ', description: 'unified social credit code or ID number' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  id!: string;

  @ApiProperty({ example: '杭州某某科技有限公司' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({
    example: ['330106000123458'],
    description: 'legacy identifiers: business registration number (15 digits) or organization code (9)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  legacyIds?: string[];
}

export class DecisionDto {
  @ApiProperty({ example: '(2026)浙0106执1234号' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  documentNo!: string;

  @ApiProperty({ example: '2026-11-01' })
  @IsISO8601({ strict: true })
  date!: string;

  @ApiProperty({ example: '有履行能力而拒不履行生效法律文书确定义务' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  facts!: string;

  @ApiPropertyOptional({
    example: 1250000,
    description: 'the amount the decision found, yuan (decision 0031)',
  })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  amount?: number;

  @ApiPropertyOptional({
    example: 'tax_invoice_fraud',
    description: "the kind of violation, the owner's code",
  })
  @IsOptional()
  @Matches(/^[a-z0-9_]{2,64}$/, { message: 'violationKind must be 2–64 of a–z, 0–9 or _' })
  violationKind?: string;
}

export class PeriodDto {
  @ApiProperty({ example: '2026-11-23T00:00:00+08:00' })
  @IsISO8601()
  from!: string;

  @ApiProperty({ example: '2028-11-23T00:00:00+08:00' })
  @IsISO8601()
  to!: string;

  @ApiPropertyOptional({ description: 'why the period does not start on the decision date (required then)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class RelatedPersonDto {
  @ApiProperty({ enum: RELATED_ROLES })
  @IsIn(RELATED_ROLES)
  role!: RelatedRole;

  @ApiProperty({ enum: SUBJECT_KINDS, example: 'individual' })
  @IsIn(SUBJECT_KINDS)
  kind!: SubjectKind;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  id!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}

export class CreateListEntryDto {
  @ApiProperty({ example: 'COURT_DEFAULTER' })
  @IsString()
  @MinLength(1)
  listType!: string;

  @ApiProperty({ type: SubjectDto })
  @ValidateNested()
  @Type(() => SubjectDto)
  subject!: SubjectDto;

  @ApiProperty({ type: DecisionDto })
  @ValidateNested()
  @Type(() => DecisionDto)
  decision!: DecisionDto;

  @ApiPropertyOptional({
    type: PeriodDto,
    description: 'default: from the decision date for the list type’s default period',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PeriodDto)
  period?: PeriodDto;

  @ApiPropertyOptional({
    description:
      'in force until the obligation is performed, from the decision date (list types that allow it)',
  })
  @IsOptional()
  @IsBoolean()
  openEnded?: boolean;

  @ApiPropertyOptional({ type: RelatedPersonDto, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50) // bounded like every list of a body: one entry's event must fit a Kafka record
  @ValidateNested({ each: true })
  @Type(() => RelatedPersonDto)
  relatedPersons?: RelatedPersonDto[];

  @ApiPropertyOptional({
    description: '失信承诺: the broken commitment of the same subject this entry rests on',
  })
  @IsOptional()
  @IsUUID()
  basisCommitmentId?: string;
}

export class EndListEntryDto {
  @ApiProperty({ enum: OWNER_END_REASONS })
  @IsIn(OWNER_END_REASONS)
  reason!: (typeof OWNER_END_REASONS)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class NoticeListEntryDto {
  @ApiPropertyOptional({ enum: NOTICE_CHANNELS, default: 'online', description: '告知方式' })
  @IsOptional()
  @IsIn(NOTICE_CHANNELS)
  channel?: NoticeChannel;

  @ApiPropertyOptional({ description: 'when the subject was told, if not now (not in the future)' })
  @IsOptional()
  @IsISO8601()
  noticedAt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ description: "the reasons told to the subject (default: the decision's facts)" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reasons?: string;

  @ApiPropertyOptional({ description: "the legal basis told to the subject (default: the list type's)" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  legalBasis?: string;
}

export class ExtensionDocumentDto {
  @ApiProperty({ example: '(2028)浙0106执恢1号' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  documentNo!: string;

  @ApiProperty({ example: '2028-09-01' })
  @IsISO8601({ strict: true })
  date!: string;
}

/** 延长公示期: an amendment with its own document. */
export class ExtendListEntryDto {
  @ApiProperty({ example: 365, description: 'days added to the end of the period' })
  @IsInt()
  @Min(1)
  @Max(3650)
  days!: number;

  @ApiProperty({ type: ExtensionDocumentDto, description: 'the document that decided the extension' })
  @ValidateNested()
  @Type(() => ExtensionDocumentDto)
  document!: ExtensionDocumentDto;

  @ApiProperty({ example: '以暴力方法抗拒执行，情节严重' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}
