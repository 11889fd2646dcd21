import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  END_REASONS,
  EndReason,
  RELATED_ROLES,
  RelatedRole,
  SUBJECT_KINDS,
  SubjectKind,
} from '@credit/contracts';
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
}

export class PeriodDto {
  @ApiProperty({ example: '2026-11-23T00:00:00+08:00' })
  @IsISO8601()
  from!: string;

  @ApiProperty({ example: '2028-11-23T00:00:00+08:00' })
  @IsISO8601()
  to!: string;
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

  @ApiPropertyOptional({ type: PeriodDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PeriodDto)
  period?: PeriodDto;

  @ApiPropertyOptional({ type: RelatedPersonDto, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50) // bounded like every list of a body: one entry's event must fit a Kafka record
  @ValidateNested({ each: true })
  @Type(() => RelatedPersonDto)
  relatedPersons?: RelatedPersonDto[];
}

export class EndListEntryDto {
  @ApiProperty({ enum: END_REASONS })
  @IsIn(END_REASONS)
  reason!: EndReason;

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
