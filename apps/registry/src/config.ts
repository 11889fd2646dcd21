import { ServiceConfig } from '@credit/platform';

export class RegistryConfig extends ServiceConfig {
  override PORT = 3001;
}
