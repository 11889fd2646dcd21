import { TriggerRecognisedMeasures1768020000000 } from './migrations/1768020000000-trigger-recognised-measures';
import { AnonymiseCopiesHandlers } from './retention/anonymise-copies.handlers';
import { DynamicModule, Module, Optional } from '@nestjs/common';
import { ConstraintErrors } from '@credit/platform';
import { TRIGGER_CONSTRAINT_ERRORS } from './trigger.constraint-errors';
import {
  knownDepartmentsProviders,
  outboxAccessRecorderProvider,
  serviceInfrastructureProviders,
} from '@credit/messaging';
import { TriggerKnownDepartments1765519000000 } from './migrations/1765519000000-trigger-known-departments';
import { Assignment } from './assignments/assignment.entity';
import { AssignmentsController } from './assignments/assignments.controller';
import { TrackedEntry } from './assignments/tracked-entry.entity';
import { FanOutHandlers } from './fan-out/fan-out.handlers';
import { FeedbackHandlers } from './feedback/feedback.handlers';
import { Measure } from './memoranda/measure.entity';
import { MemorandaController } from './memoranda/memoranda.controller';
import { Memorandum } from './memoranda/memorandum.entity';
import { TriggerInit1764000000000 } from './migrations/1764000000000-trigger-init';
import { TriggerOutboxV21764500000000 } from './migrations/1764500000000-trigger-outbox-v2';
import { TriggerOutboxPublishedLog1765300000000 } from './migrations/1765300000000-trigger-outbox-published-log';
import { TriggerOutboxRecipes1765400000000 } from './migrations/1765400000000-trigger-outbox-recipes';
import { TriggerOutboxParked1765500000000 } from './migrations/1765500000000-trigger-outbox-parked';
import {
  TRIGGER_DB,
  TRIGGER_MESSAGING,
  TRIGGER_RESCREEN_OPTIONS,
  TRIGGER_SCHEMA,
  TRIGGER_SOURCE,
  TRIGGER_WINDOW_OPTIONS,
} from './trigger.tokens';
import { AssignmentIssuer } from './fan-out/assignment-issuer';
import { AddMeasureUseCase } from './memoranda/add-measure.usecase';
import { ChangeMeasureUseCase } from './memoranda/change-measure.usecase';
import { CreateMemorandumUseCase } from './memoranda/create-memorandum.usecase';
import { ImportMemorandaUseCase } from './memoranda/import-memoranda.usecase';
import { RetireMeasureUseCase } from './memoranda/retire-measure.usecase';
import { TriggerLegacyIds1764400000000 } from './migrations/1764400000000-trigger-legacy-ids';
import { TriggerCatalog1764100000000 } from './migrations/1764100000000-trigger-catalog';
import { TriggerFanOutIndexes1764600000000 } from './migrations/1764600000000-trigger-fan-out-indexes';
import { RescreenJob } from './rescreen/rescreen-job.entity';
import { RescreenController } from './rescreen/rescreen.controller';
import { RescreenOptions, RescreenEntriesJob } from './rescreen/rescreen-entries.job';
import { RescreenQueries } from './rescreen/rescreen.queries';
import { AssignmentQueries } from './assignments/assignment.queries';
import { CatalogQueries } from './memoranda/catalog.queries';
import { SubscriptionRepository } from './subscriptions/subscription.repository';
import { SubscribeToMeasureUseCase } from './subscriptions/subscribe-to-measure.usecase';
import { UnsubscribeFromMeasureUseCase } from './subscriptions/unsubscribe-from-measure.usecase';
import { Subscription } from './subscriptions/subscription.entity';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { WEBHOOK_POLICY_OPTIONS, WebhookHosts, WebhookPolicyOptions } from './subscriptions/webhook-hosts';
import { TriggerWebhookHosts1766200000000 } from './migrations/1766200000000-trigger-webhook-hosts';
import { TriggerRescreenSkipped1766300000000 } from './migrations/1766300000000-trigger-rescreen-skipped';
import type { EmbeddedPostgres } from '@credit/persistence';
import { TriggerAccess1766120000000 } from './migrations/1766120000000-trigger-access';
import { TriggerListTypeClasses1767010000000 } from './migrations/1767010000000-trigger-list-type-classes';
import { ListTypeAccess } from './list-types/list-type-access';
import { TriggerLawfulMeasures1767500000000 } from './migrations/1767500000000-trigger-lawful-measures';
import { LawfulMeasuresController } from './lawful/lawful.controller';
import { ExcludeMeasureUseCase } from './lawful/exclude-measure.usecase';
import { LawfulQueries } from './lawful/lawful.queries';
import { SetEffectivePeriodUseCase } from './lawful/set-effective-period.usecase';
import { MeasureExclusion } from './lawful/measure-exclusion.entity';
import { MemorandumWindowJob, WindowOptions } from './lawful/memorandum-window.job';

export interface TriggerModuleOptions {
  databaseUrl: string;
  /** the embedded mode's in-process database (then databaseUrl is not used) */
  embedded?: EmbeddedPostgres;
  poolSize?: number;
  migrate?: boolean;
  rescreen?: Partial<RescreenOptions>;
  /** the effective-window job of memoranda (decision 0031) */
  window?: Partial<WindowOptions>;
  /** webhook URLs at registration; https only when not given */
  webhookPolicy?: WebhookPolicyOptions;
}

export const TRIGGER_ENTITIES = [
  Memorandum,
  Measure,
  Assignment,
  TrackedEntry,
  Subscription,
  RescreenJob,
  MeasureExclusion,
];
export const TRIGGER_MIGRATIONS = [
  TriggerInit1764000000000,
  TriggerCatalog1764100000000,
  TriggerLegacyIds1764400000000,
  TriggerOutboxV21764500000000,
  TriggerFanOutIndexes1764600000000,
  TriggerOutboxPublishedLog1765300000000,
  TriggerOutboxRecipes1765400000000,
  TriggerOutboxParked1765500000000,
  TriggerKnownDepartments1765519000000,
  TriggerAccess1766120000000,
  TriggerWebhookHosts1766200000000,
  TriggerRescreenSkipped1766300000000,
  TriggerListTypeClasses1767010000000,
  TriggerLawfulMeasures1767500000000,
  TriggerRecognisedMeasures1768020000000,
];

/** 触发反馈: memoranda and measures, the fan-out of entries into assignments, and their feedback state. */
@Module({})
export class TriggerModule {
  // the constraint table is loaded here, explicitly (decision 0053)
  constructor(@Optional() constraints?: ConstraintErrors) {
    constraints?.load(TRIGGER_CONSTRAINT_ERRORS);
  }

  static register(options: TriggerModuleOptions): DynamicModule {
    return {
      module: TriggerModule,
      controllers: [
        MemorandaController,
        LawfulMeasuresController,
        AssignmentsController,
        SubscriptionsController,
        RescreenController,
      ],
      providers: [
        // reads of personal data go to enforcement's access log through the outbox (decision 0021)
        outboxAccessRecorderProvider(
          { dataSource: TRIGGER_DB, messaging: TRIGGER_MESSAGING },
          'trigger',
          TRIGGER_SOURCE,
        ),
        ...serviceInfrastructureProviders(
          { dataSource: TRIGGER_DB, messaging: TRIGGER_MESSAGING },
          {
            service: 'trigger',
            schema: TRIGGER_SCHEMA,
            url: options.databaseUrl,
            embedded: options.embedded,
            poolSize: options.poolSize,
            migrate: options.migrate ?? true,
            entities: TRIGGER_ENTITIES,
            migrations: TRIGGER_MIGRATIONS,
          },
        ),
        ...knownDepartmentsProviders(
          { dataSource: TRIGGER_DB, messaging: TRIGGER_MESSAGING },
          { service: 'trigger', schema: TRIGGER_SCHEMA, source: 'events' },
        ),
        {
          provide: TRIGGER_RESCREEN_OPTIONS,
          useValue: { batchSize: 500, pollMs: 5000, ...options.rescreen } satisfies RescreenOptions,
        },
        {
          provide: TRIGGER_WINDOW_OPTIONS,
          useValue: { intervalMs: 60_000, ...options.window } satisfies WindowOptions,
        },
        AssignmentIssuer,
        RescreenEntriesJob,
        RescreenQueries,
        MemorandumWindowJob,
        LawfulQueries,
        SetEffectivePeriodUseCase,
        ExcludeMeasureUseCase,
        CreateMemorandumUseCase,
        ImportMemorandaUseCase,
        AddMeasureUseCase,
        ChangeMeasureUseCase,
        RetireMeasureUseCase,
        AssignmentQueries,
        CatalogQueries,
        SubscriptionRepository,
        SubscribeToMeasureUseCase,
        UnsubscribeFromMeasureUseCase,
        ListTypeAccess,
        FanOutHandlers,
        FeedbackHandlers,
        AnonymiseCopiesHandlers,
        { provide: WEBHOOK_POLICY_OPTIONS, useValue: options.webhookPolicy ?? { allowPlainHttp: false } },
        WebhookHosts,
      ],
    };
  }
}
