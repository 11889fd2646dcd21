import { ServiceConfig } from '@credit/platform';

export class TrackingConfig extends ServiceConfig {
  override PORT = 3004;
}
