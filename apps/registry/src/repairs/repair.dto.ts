import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';

export class SubmitRepairDto {
  @ApiProperty({ example: '已全部履行判决确定的给付义务' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  statement!: string;

  @ApiPropertyOptional({ example: ['结案通知书 (2026)浙0106执1234号之一'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  evidence?: string[];
}

export class DecideRepairDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision!: 'approve' | 'reject';

  @ApiPropertyOptional({ description: 'required when rejecting: the reason the subject is told' })
  @ValidateIf((o: DecideRepairDto) => o.decision === 'reject' || o.note !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  note?: string;
}
