import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CHECK_STAGES, CheckStage } from '@credit/contracts';

export class CheckSubjectDto {
  @ApiProperty({ example: '91330106MA2H7QK4XQ', description: 'unified code, ID number, or a legacy code' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  id!: string;
}

export class BatchCheckDto {
  @ApiProperty({ type: CheckSubjectDto, isArray: true, maxItems: 1000 })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CheckSubjectDto)
  subjects!: CheckSubjectDto[];

  @ApiProperty({ example: 'government_procurement_bid' })
  @Matches(/^[a-z0-9_]{2,64}$/, { message: 'action must be 2–64 of a–z, 0–9 or _' })
  action!: string;

  @ApiPropertyOptional({ enum: CHECK_STAGES })
  @IsOptional()
  @IsIn(CHECK_STAGES)
  stage?: CheckStage;
}

export class CheckDecisionDto {
  @ApiProperty({ enum: ['applied', 'not_applied'], description: 'what the department did with the hit' })
  @IsIn(['applied', 'not_applied'])
  outcome!: 'applied' | 'not_applied';

  @ApiPropertyOptional({ description: 'required when not applied' })
  @ValidateIf((o: CheckDecisionDto) => o.outcome === 'not_applied' || o.reason !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason?: string;
}
