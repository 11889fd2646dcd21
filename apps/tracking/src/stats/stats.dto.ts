import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A period of issue days (Beijing time, inclusive) and the filters every statistics route takes. */
export class StatsQueryDto {
  @ApiPropertyOptional({
    description: 'first issue day, YYYY-MM-DD (UTC+8), inclusive',
    example: '2026-11-01',
  })
  @IsOptional()
  @Matches(ISO_DAY, { message: 'from must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'last issue day, YYYY-MM-DD (UTC+8), inclusive',
    example: '2026-11-30',
  })
  @IsOptional()
  @Matches(ISO_DAY, { message: 'to must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: "departments' region code (行政区划代码); see stats/README.md" })
  @IsOptional()
  @IsString()
  region?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  dept?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  listType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  memorandumCode?: string;
}
