import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { REPAIR_OUTCOMES, RepairOutcome } from '@credit/contracts';
import { REPAIR_STATUSES, RepairStatus } from './repair.state-machine';

export class CommitmentDto {
  @ApiProperty({ example: '本单位承诺已纠正失信行为，今后依法诚信经营；如有违反，自愿接受惩戒。' })
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  text!: string;
}

export class RepairConditionAnswerDto {
  @ApiProperty({
    example: 'obligations_performed',
    description: "a code of the list type's repair checklist",
  })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/)
  code!: string;

  @ApiProperty()
  @IsBoolean()
  met!: boolean;

  @ApiPropertyOptional({ example: '(2026)浙0106执1234号之一 结案通知书' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  evidence?: string;
}

export class SubmitRepairDto {
  @ApiProperty({ example: '已全部履行判决确定的给付义务' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  statement!: string;

  @ApiPropertyOptional({
    type: CommitmentDto,
    description: "信用承诺书, required when the list type's terms say so",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CommitmentDto)
  commitment?: CommitmentDto;

  @ApiProperty({
    type: [RepairConditionAnswerDto],
    description: 'each condition of the checklist, with evidence',
  })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RepairConditionAnswerDto)
  conditions!: RepairConditionAnswerDto[];

  @ApiPropertyOptional({
    example: '91330106MA2H7QK4XQ',
    description: 'credit_office only: the identifier of the subject the counter acts for',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  onBehalfOf?: string;
}

export class RequestMaterialDto {
  @ApiProperty({ example: ['缴款凭证原件扫描件'], description: 'what the applicant must supply (补正材料)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(500, { each: true })
  missing!: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class SupplyMaterialDto {
  @ApiProperty({ example: '已补充缴款凭证原件扫描件' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  material!: string;

  @ApiPropertyOptional({ type: [RepairConditionAnswerDto], description: 'answers that replace earlier ones' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RepairConditionAnswerDto)
  conditions?: RepairConditionAnswerDto[];

  @ApiPropertyOptional({ description: 'credit_office only: the subject the counter acts for' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  onBehalfOf?: string;
}

/** 撤回: the applicant takes back an application not yet decided. */
export class WithdrawRepairDto {
  @ApiPropertyOptional({
    example: '已与申请执行人达成和解，暂不申请修复',
    description: 'why, if the applicant says',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reason?: string;

  @ApiPropertyOptional({ description: 'credit_office only: the subject the counter acts for' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  onBehalfOf?: string;
}

export class DecideRepairDto {
  @ApiProperty({ enum: REPAIR_OUTCOMES })
  @IsIn(REPAIR_OUTCOMES)
  outcome!: RepairOutcome;

  @ApiPropertyOptional({ description: 'required when rejecting: the reason the applicant is told' })
  @ValidateIf((o: DecideRepairDto) => o.outcome === 'rejected' || o.reason !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reason?: string;
}

export class RepairQueryDto {
  @ApiPropertyOptional({ enum: REPAIR_STATUSES })
  @IsOptional()
  @IsIn(REPAIR_STATUSES)
  status?: RepairStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i)
  entryId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'only applications past their deadline' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}
