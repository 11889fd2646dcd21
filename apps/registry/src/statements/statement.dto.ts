import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '@credit/platform';
import { STATEMENT_REMEDIES, StatementRemedy } from './statement.entity';
import { STATEMENT_STATUSES, StatementStatus } from './statement.state-machine';

/** For the counter: whom the clerk acts for (the identifier it verified); a subject's token says it already. */
export class OnBehalfOfDto {
  @ApiPropertyOptional({
    example: '91330106MA2H7QK4XQ',
    description: 'credit_office only: the identifier of the subject or related person at the counter',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  onBehalfOf?: string;
}

export class FileStatementDto extends OnBehalfOfDto {
  @ApiProperty({ example: '该笔款项已于判决前支付，附转账凭证，请求不予列入' })
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  content!: string;
}

export class AnswerStatementDto {
  @ApiProperty({ description: 'whether the statement is accepted (采纳)' })
  @IsBoolean()
  accepted!: boolean;

  @ApiProperty({ description: 'the answer to the subject; for a statement not accepted, the reason' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reply!: string;

  @ApiPropertyOptional({
    enum: STATEMENT_REMEDIES,
    description: 'required when accepted: the entry is ended revoked (wrong) or corrected (to be re-decided)',
  })
  @IsOptional()
  @IsIn(STATEMENT_REMEDIES)
  remedy?: StatementRemedy;
}

/** The owner's work list: its department's statements, oldest first (a supervisor: all, or its region's). */
export class StatementQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATEMENT_STATUSES, description: '`received`: those waiting for an answer' })
  @IsOptional()
  @IsIn(STATEMENT_STATUSES)
  status?: StatementStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i)
  entryId?: string;
}
