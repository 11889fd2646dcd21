import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { MEASURE_KINDS, MeasureKind } from '@credit/contracts';
import { PageQueryDto } from '@credit/platform';
import { CASE_STATUSES, CaseStatus } from './typical-case.state-machine';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export class NominateCaseDto {
  @ApiProperty({ example: '某公司被列入失信被执行人名单后主动履行全部义务' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiProperty({
    description: 'what happened, which measures were applied, and the effect (e.g. the subject performed)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  summary!: string;

  @ApiProperty({ enum: MEASURE_KINDS, description: 'punishment (black list) or incentive (red list)' })
  @IsIn(MEASURE_KINDS)
  kind!: MeasureKind;

  @ApiProperty({ type: [String], description: 'the published list entries the case is about' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  entryIds!: string[];

  @ApiProperty({
    type: [String],
    description: 'assignments whose enforcement feedback (实施反馈) makes the case typical',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  assignmentIds!: string[];
}

export class AcceptCaseDto {
  @ApiPropertyOptional({ description: "the credit office's note on the case" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  note?: string;
}

export class ReasonDto {
  @ApiProperty({ description: 'why (shown to the nominating department)' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reason!: string;
}

class PeriodQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'first day, YYYY-MM-DD (UTC+8), inclusive', example: '2026-01-01' })
  @IsOptional()
  @Matches(ISO_DAY, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'last day, YYYY-MM-DD (UTC+8), inclusive', example: '2026-12-31' })
  @IsOptional()
  @Matches(ISO_DAY, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ enum: MEASURE_KINDS })
  @IsOptional()
  @IsIn(MEASURE_KINDS)
  kind?: MeasureKind;
}

/** The staff list: the period is of the nomination day. */
export class CaseListQueryDto extends PeriodQuery {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: CaseStatus;

  @ApiPropertyOptional({ description: 'the nominating department' })
  @IsOptional()
  @IsString()
  dept?: string;
}

const FORMATS = ['csv', 'xlsx'] as const;

/** The province's export: accepted cases, the period being of the acceptance day. */
export class CaseReportQueryDto extends PeriodQuery {
  @ApiPropertyOptional({ enum: FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: (typeof FORMATS)[number];

  @ApiPropertyOptional({ description: 'the nominating department' })
  @IsOptional()
  @IsString()
  dept?: string;
}

/** The public list of published cases. */
export class PublicCaseQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MEASURE_KINDS })
  @IsOptional()
  @IsIn(MEASURE_KINDS)
  kind?: MeasureKind;

  @ApiPropertyOptional({ description: 'region code (行政区划代码)' })
  @IsOptional()
  @IsString()
  region?: string;
}
