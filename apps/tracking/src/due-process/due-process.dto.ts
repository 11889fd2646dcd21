import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PageQueryDto } from '@credit/platform';

const REPAIR_OVERDUE_KINDS = ['accept', 'decide'] as const;

export class OverdueRepairsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'owning department' })
  @IsOptional()
  @IsString()
  dept?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  listType?: string;

  @ApiPropertyOptional({ enum: REPAIR_OVERDUE_KINDS, description: 'not accepted, or not decided, in time' })
  @IsOptional()
  @IsIn(REPAIR_OVERDUE_KINDS)
  kind?: (typeof REPAIR_OVERDUE_KINDS)[number];

  @ApiPropertyOptional({ description: "departments' region code" })
  @IsOptional()
  @IsString()
  region?: string;
}
