import { PageQueryDto } from '@credit/platform';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { OVERDUE_KINDS, OverdueKind } from '@credit/contracts';

export class OverdueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'implementing department code' })
  @IsOptional()
  @IsString()
  dept?: string;

  @ApiPropertyOptional({ description: 'list type code' })
  @IsOptional()
  @IsString()
  listType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  measureCode?: string;

  @ApiPropertyOptional({ description: 'memorandum code' })
  @IsOptional()
  @IsString()
  memorandumCode?: string;

  @ApiPropertyOptional({ enum: OVERDUE_KINDS })
  @IsOptional()
  @IsIn(OVERDUE_KINDS)
  kind?: OverdueKind;

  @ApiPropertyOptional({ enum: [1, 2] })
  @IsOptional()
  @Type(() => Number)
  @IsIn([1, 2])
  level?: 1 | 2;

  @ApiPropertyOptional({ description: 'at least this many days past the missed deadline' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  minAgeDays?: number;
}

export class OverdueCountsQueryDto {
  @ApiPropertyOptional({ description: 'implementing department code' })
  @IsOptional()
  @IsString()
  dept?: string;

  @ApiPropertyOptional({
    description:
      "departments' region code (行政区划代码); a supervisor of one region may ask for its own only",
  })
  @IsOptional()
  @IsString()
  region?: string;
}
