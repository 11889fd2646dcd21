import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ServiceConfig } from '@credit/platform';

export class TriggerConfig extends ServiceConfig {
  override PORT = 3002;

  /**
   * How often a replica looks at the memoranda's effective windows, lifting what an expired one issued
   * and issuing what one that came into effect says (ms; 0 turns it off). Decision 0031.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  MEMORANDUM_WINDOW_INTERVAL_MS = 60_000;
}
