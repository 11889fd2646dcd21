import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { PageQueryDto } from '@credit/platform';
import { GAP_KINDS, GapKind } from './reconciliation-gaps';

export const GAP_STATUSES = ['open', 'cleared', 'all'] as const;

export class ReconciliationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: GAP_KINDS })
  @IsOptional()
  @IsIn(GAP_KINDS)
  kind?: GapKind;

  @ApiPropertyOptional({ description: 'department concerned (implementing; the owner for a fan-out)' })
  @IsOptional()
  @IsString()
  dept?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  entryId?: string;

  @ApiPropertyOptional({ description: 'at least this many days since the missing step was due' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  minAgeDays?: number;

  @ApiPropertyOptional({ enum: GAP_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(GAP_STATUSES)
  status?: (typeof GAP_STATUSES)[number];
}
