import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class PublicEntriesQueryDto {
  @ApiPropertyOptional({
    description:
      "a unified code, ID number or legacy code (exact); part of an organisation's name; a person's whole name",
    example: '杭州某某科技',
  })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ example: 'COURT_DEFAULTER' })
  @IsOptional()
  @Matches(/^[A-Z0-9_-]{2,64}$/, { message: 'listType must be a list type code' })
  listType?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
