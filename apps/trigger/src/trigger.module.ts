import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructureProviders } from '@credit/messaging';
import { Assignment } from './assignments/assignment.entity';
import { AssignmentsController } from './assignments/assignments.controller';
import { TrackedEntry } from './assignments/tracked-entry.entity';
import { FanOutHandlers } from './fan-out/fan-out.handlers';
import { FeedbackHandlers } from './feedback/feedback.handlers';
import { Measure } from './memoranda/measure.entity';
import { MemorandaController } from './memoranda/memoranda.controller';
import { Memorandum } from './memoranda/memorandum.entity';
import { TriggerInit1764000000000 } from './migrations/1764000000000-trigger-init';
import { TRIGGER_DB, TRIGGER_MESSAGING, TRIGGER_SCHEMA } from './trigger.tokens';

export interface TriggerModuleOptions {
  databaseUrl: string;
  poolSize?: number;
  migrate?: boolean;
}

export const TRIGGER_ENTITIES = [Memorandum, Measure, Assignment, TrackedEntry];
export const TRIGGER_MIGRATIONS = [TriggerInit1764000000000];

/** 触发反馈: memoranda and measures, the fan-out of entries into assignments, and their feedback state. */
@Module({})
export class TriggerModule {
  static register(options: TriggerModuleOptions): DynamicModule {
    return {
      module: TriggerModule,
      controllers: [MemorandaController, AssignmentsController],
      providers: [
        ...serviceInfrastructureProviders(
          { dataSource: TRIGGER_DB, messaging: TRIGGER_MESSAGING },
          {
            service: 'trigger',
            schema: TRIGGER_SCHEMA,
            url: options.databaseUrl,
            poolSize: options.poolSize,
            migrate: options.migrate ?? true,
            entities: TRIGGER_ENTITIES,
            migrations: TRIGGER_MIGRATIONS,
          },
        ),
        FanOutHandlers,
        FeedbackHandlers,
      ],
    };
  }
}
