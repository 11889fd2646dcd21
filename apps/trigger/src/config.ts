import { ServiceConfig } from '@credit/platform';

export class TriggerConfig extends ServiceConfig {
  override PORT = 3002;
}
