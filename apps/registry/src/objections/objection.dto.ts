import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBooleanString,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { OBJECTION_OUTCOMES, ObjectionOutcome } from '@credit/contracts';
import { PeriodDto } from '../list-entries/list-entry.dto';
import { OnBehalfOfDto } from '../statements/statement.dto';

export class OpenObjectionDto extends OnBehalfOfDto {
  @ApiProperty({ example: '该笔债务已于判决前清偿，申请核查' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reason!: string;
}

export class CorrectionDto {
  @ApiPropertyOptional({ description: 'corrected facts of the decision' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  facts?: string;

  @ApiPropertyOptional({ type: PeriodDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PeriodDto)
  period?: PeriodDto;
}

export class ResolveObjectionDto {
  @ApiProperty({ enum: OBJECTION_OUTCOMES })
  @IsIn(OBJECTION_OUTCOMES)
  outcome!: ObjectionOutcome;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  note!: string;

  @ApiPropertyOptional({ type: CorrectionDto, description: 'required when the outcome is corrected' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CorrectionDto)
  correction?: CorrectionDto;
}

export class ObjectionQueryDto {
  @ApiPropertyOptional({ enum: ['open', ...OBJECTION_OUTCOMES, 'closed_entry_ended'] })
  @IsOptional()
  @IsIn(['open', ...OBJECTION_OUTCOMES, 'closed_entry_ended'])
  status?: string;

  @ApiPropertyOptional({ description: 'only objections past their deadline and still open' })
  @IsOptional()
  @IsBooleanString()
  overdue?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  entryId?: string;
}
