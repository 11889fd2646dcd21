import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { ServiceConfig } from '@credit/platform';

export class RegistryConfig extends ServiceConfig {
  override PORT = 3001;

  /** How often the expiry job ends entries whose period is over (ms; 0 turns it off). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  LIST_ENTRY_EXPIRY_INTERVAL_MS = 60_000;

  /** A USCC whose embedded organization code fails its check: `flag` (accept, mark the subject) or `reject`. */
  @IsIn(['flag', 'reject'])
  SUBJECT_ORG_CODE_CHECK: 'flag' | 'reject' = 'flag';
}
