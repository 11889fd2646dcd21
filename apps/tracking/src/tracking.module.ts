import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructureProviders } from '@credit/messaging';
import { TrackingInit1764000000000 } from './migrations/1764000000000-tracking-init';
import { TRACKING_DB, TRACKING_MESSAGING, TRACKING_SCHEMA } from './tracking.tokens';
import { TrailController } from './trail/trail.controller';
import { TrailHandlers } from './trail/trail.handlers';
import { TrailRecord } from './trail/trail-record.entity';

export interface TrackingModuleOptions {
  databaseUrl: string;
  poolSize?: number;
  migrate?: boolean;
}

export const TRACKING_ENTITIES = [TrailRecord];
export const TRACKING_MIGRATIONS = [TrackingInit1764000000000];

/** 跟踪问效: the append-only trail of every entry (deadlines, statistics and reports build on it). */
@Module({})
export class TrackingModule {
  static register(options: TrackingModuleOptions): DynamicModule {
    return {
      module: TrackingModule,
      controllers: [TrailController],
      providers: [
        ...serviceInfrastructureProviders(
          { dataSource: TRACKING_DB, messaging: TRACKING_MESSAGING },
          {
            service: 'tracking',
            schema: TRACKING_SCHEMA,
            url: options.databaseUrl,
            poolSize: options.poolSize,
            migrate: options.migrate ?? true,
            entities: TRACKING_ENTITIES,
            migrations: TRACKING_MIGRATIONS,
          },
        ),
        TrailHandlers,
      ],
    };
  }
}
