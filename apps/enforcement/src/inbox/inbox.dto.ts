import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ASSIGNMENT_STATUSES, AssignmentStatus } from '@credit/contracts';

export class InboxQueryDto {
  @ApiPropertyOptional({ enum: ASSIGNMENT_STATUSES })
  @IsOptional()
  @IsIn(ASSIGNMENT_STATUSES)
  status?: AssignmentStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  listType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  measureCode?: string;

  @ApiPropertyOptional({ description: 'issued at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  issuedFrom?: string;

  @ApiPropertyOptional({ description: 'issued before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  issuedTo?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export const FEEDBACK_OUTCOMES = ['enforced', 'not_applicable'] as const;

export class FeedbackDto {
  @ApiProperty({ enum: FEEDBACK_OUTCOMES })
  @IsIn(FEEDBACK_OUTCOMES)
  outcome!: (typeof FEEDBACK_OUTCOMES)[number];

  @ApiProperty({ example: '已在政府采购评审中否决其投标资格' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  detail!: string;

  @ApiPropertyOptional({ example: 'ZFCG-2026-0001' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}

export class BatchAcknowledgeDto {
  @ApiProperty({ description: "up to 500 assignment ids of the caller's department" })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids!: string[];
}
