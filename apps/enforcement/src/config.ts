import { IsString, MinLength } from 'class-validator';
import { ServiceConfig } from '@credit/platform';

export class EnforcementConfig extends ServiceConfig {
  override PORT = 3003;

  @IsString()
  @MinLength(1)
  REDIS_URL = 'redis://127.0.0.1:6379';
}
