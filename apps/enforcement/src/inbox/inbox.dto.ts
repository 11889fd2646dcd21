import { PageQueryDto } from '@credit/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ASSIGNMENT_STATUSES, AssignmentStatus } from '@credit/contracts';

export class InboxQueryDto extends PageQueryDto {
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
