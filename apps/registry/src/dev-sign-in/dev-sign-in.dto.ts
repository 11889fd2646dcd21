import { IsIn, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DEPARTMENT_CODE } from '@credit/auth';
import { Role } from '@credit/contracts';

export class DevTokenDto {
  @ValidateIf((o: DevTokenDto) => o.role !== 'subject')
  @IsString()
  @Matches(DEPARTMENT_CODE)
  dept?: string;

  @IsIn(['admin', 'initiator', 'implementer', 'system', 'supervisor', 'credit_office', 'subject'])
  role!: Role;

  /** role `subject`: the subject's (or related person's) unified code or ID number, as a verified identity */
  @ValidateIf((o: DevTokenDto) => o.role === 'subject')
  @IsString()
  @MaxLength(64)
  subject?: string;
}
