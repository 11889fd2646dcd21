import { PageQueryDto } from '@credit/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { COMMITMENT_MATTERS, CommitmentMatter } from '@credit/contracts';
import { SubjectDto } from '../list-entries/list-entry.dto';
import { COMMITMENT_STATUSES, CommitmentStatus } from './commitment.state-machine';

export class RecordCommitmentDto {
  @ApiProperty({ type: SubjectDto })
  @ValidateNested()
  @Type(() => SubjectDto)
  subject!: SubjectDto;

  @ApiProperty({ enum: COMMITMENT_MATTERS, description: 'what it was made for (repair: entryId required)' })
  @IsIn(COMMITMENT_MATTERS)
  matter!: CommitmentMatter;

  @ApiProperty({ example: '本单位承诺所提交材料真实有效，如有不实，愿承担相应责任' })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  text!: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'the day it was signed (default: today)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  madeOn?: string;

  @ApiPropertyOptional({ description: 'the entry a repair commitment belongs to' })
  @IsOptional()
  @IsUUID()
  entryId?: string;
}

export class SettleCommitmentDto {
  @ApiPropertyOptional({ description: 'why it is found kept or broken (required for broken)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  note?: string;

  @ApiPropertyOptional({ description: 'when it was found kept or broken, if not now (not in the future)' })
  @IsOptional()
  @IsISO8601()
  at?: string;
}

export class BreakCommitmentDto {
  @ApiProperty({ description: 'why it is found broken (失信事实)' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  note!: string;

  @ApiPropertyOptional({ description: 'when it was found broken, if not now (not in the future)' })
  @IsOptional()
  @IsISO8601()
  at?: string;
}

export class CommitmentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: "the subject's identifier" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  subjectId?: string;

  @ApiPropertyOptional({ enum: COMMITMENT_MATTERS })
  @IsOptional()
  @IsIn(COMMITMENT_MATTERS)
  matter?: CommitmentMatter;

  @ApiPropertyOptional({ enum: COMMITMENT_STATUSES })
  @IsOptional()
  @IsIn(COMMITMENT_STATUSES)
  status?: CommitmentStatus;

  @ApiPropertyOptional({ description: 'the department it was made to' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  dept?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  entryId?: string;
}
