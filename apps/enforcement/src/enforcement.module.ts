import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { DocumentedRoutes, ROOT_LOGGER } from '@credit/platform';
import { knownDepartmentsProviders, MessageBus, serviceInfrastructureProviders } from '@credit/messaging';
import { EnforcementKnownDepartments1765519000000 } from './migrations/1765519000000-enforcement-known-departments';
import { inProcessCacheProviders, redisProviders } from './cache/cache.providers';
import {
  ActiveMeasures,
  IndexOwnership,
  KafkaIndexOwnership,
  MeasureQueries,
  PgMeasureQueries,
  WholeIndex,
} from './checks/active-measures';
import { CheckLog } from './checks/check-log';
import { CheckSubjectUseCase } from './checks/check-subject.usecase';
import { DecideCheckUseCase } from './checks/decide-check.usecase';
import { CHECK_ROUTE_DOCUMENT, CheckRoute } from './checks/check.route';
import { ChecksController } from './checks/checks.controller';
import { CheckLogController } from './checks/check-log.controller';
import { CheckIndexController, CheckIndexReadiness } from './checks/check-index.controller';
import { AccessLogQueries } from './access-log/access-log.queries';
import { WatchListRepository } from './watch-lists/watch-list.repository';
import { InboxQueries } from './inbox/inbox.queries';
import { DeliveryRepository } from './delivery/delivery.repository';
import { CheckLogQueries } from './checks/check-log.queries';
import { CheckLogSummaryQueries } from './checks/check-log-summary.queries';
import { CheckLogSummaryController } from './checks/check-log-summary.controller';
import { DEFAULT_SWEEP_OPTIONS, SWEEP_OPTIONS, SweepDetector, SweepOptions } from './checks/sweep-detector';
import { EnforcementLegacyIndex1764800000000 } from './migrations/1764800000000-enforcement-legacy-index';
import { EnforcementWatchLists1764600000000 } from './migrations/1764600000000-enforcement-watch-lists';
import { EnforcementOutboxV21764500000000 } from './migrations/1764500000000-enforcement-outbox-v2';
import { EnforcementOutboxPublishedLog1765300000000 } from './migrations/1765300000000-enforcement-outbox-published-log';
import { EnforcementOutboxRecipes1765400000000 } from './migrations/1765400000000-enforcement-outbox-recipes';
import { EnforcementOutboxParked1765500000000 } from './migrations/1765500000000-enforcement-outbox-parked';
import { WatchListController } from './watch-lists/watch-list.controller';
import { WatchListHandlers } from './watch-lists/watch-list.handlers';
import { DEFAULT_WATCH_LIST_MAX, WATCH_LIST_MAX } from './watch-lists/watch-list.policy';
import { EnforcementChecks1764400000000 } from './migrations/1764400000000-enforcement-checks';
import { ENFORCEMENT_DB, ENFORCEMENT_MESSAGING, ENFORCEMENT_SCHEMA } from './enforcement.tokens';
import { AssignmentEventsHandlers } from './inbox/assignment-events.handlers';
import { EntryEndsHandlers } from './checks/entry-ends.handlers';
import { EnforcementEntryEnds1769300000000 } from './migrations/1769300000000-enforcement-entry-ends';
import { EnforcementDailyCheckLog1769630000000 } from './migrations/1769630000000-enforcement-daily-check-log';
import { EnforcementCheckLogRollup1769640000000 } from './migrations/1769640000000-enforcement-check-log-rollup';
import { EnforcementCheckSubjectDays1769650000000 } from './migrations/1769650000000-enforcement-check-subject-days';
import { EnforcementAssignmentsByPartition1769660000000 } from './migrations/1769660000000-enforcement-assignments-by-partition';
import { EnforcementEntryPartitions1769670000000 } from './migrations/1769670000000-enforcement-entry-partitions';
import { EnforcementCheckSubjectsByDay1769680000000 } from './migrations/1769680000000-enforcement-check-subjects-by-day';
import { DepartmentAssignment } from './inbox/department-assignment.entity';
import { InboxController } from './inbox/inbox.controller';
import { RecordFeedbackUseCase } from './inbox/record-feedback.usecase';
import { AcknowledgeAssignmentsUseCase } from './inbox/acknowledge-assignments.usecase';
import { CheckBatchUseCase } from './checks/check-batch.usecase';
import { ReplayDeliveryUseCase } from './delivery/replay-delivery.usecase';
import { RotateWebhookSecretUseCase } from './delivery/rotate-webhook-secret.usecase';
import { AllowWebhookHostUseCase } from './delivery/allow-webhook-host.usecase';
import { DisallowWebhookHostUseCase } from './delivery/disallow-webhook-host.usecase';
import { WatchSubjectUseCase } from './watch-lists/watch-subject.usecase';
import { UnwatchSubjectUseCase } from './watch-lists/unwatch-subject.usecase';
import { GrantWatchUseCase } from './watch-lists/grant-watch.usecase';
import { AssignmentStream } from './delivery/assignment-stream';
import { AssignmentStreamController } from './delivery/assignment-stream.controller';
import { DeliveriesController } from './delivery/deliveries.controller';
import { Delivery, DeliveryTarget, WebhookSecret } from './delivery/delivery.entity';
import { DeliveryEventsHandlers } from './delivery/delivery-events.handlers';
import { DeliveryNotifications } from './delivery/delivery-notifications';
import { DeliveryOptions, deliveryOptionsProvider } from './delivery/delivery.options';
import { WebhookDispatcher } from './delivery/webhook-dispatcher';
import { WebhookSecrets } from './delivery/webhook-secrets';
import { DeliveryPayloadRetention } from './delivery/delivery-payload-retention';
import { WebhookHostAllowListController } from './delivery/webhook-host-allow-list.controller';
import { WEBHOOK_OPTIONS, WebhookHostAllowList, WebhookOptions } from './delivery/webhook-policy';
import { WebhookSecretCipher } from './delivery/webhook-secret-cipher';
import { enforcementWebhookPolicyMigration } from './migrations/1766200000000-enforcement-webhook-policy';
import { EnforcementPartitionedLogs1768800000000 } from './migrations/1768800000000-enforcement-partitioned-logs';
import { EnforcementRemovalsPruned1768800000002 } from './migrations/1768800000002-enforcement-removals-pruned';
import { EnforcementBindingPartitions1768600000000 } from './migrations/1768600000000-enforcement-binding-partitions';
import { EnforcementInit1764000000000 } from './migrations/1764000000000-enforcement-init';
import { EnforcementDelivery1764100000000 } from './migrations/1764100000000-enforcement-delivery';
import { EnforcementDeliveryLog1764300000000 } from './migrations/1764300000000-enforcement-delivery-log';
import type { EmbeddedPostgres } from '@credit/persistence';
import { EnforcementAccess1766120000000 } from './migrations/1766120000000-enforcement-access';
import { EnforcementAnonymisedSubjects1766300000000 } from './migrations/1766300000000-enforcement-anonymised-subjects';
import { AccessLogController } from './access-log/access-log.controller';
import { AccessLogHandlers } from './access-log/access-log.handlers';
import { AnonymiseCopiesHandlers } from './retention/anonymise-copies.handlers';
import { LogPartitionsJob } from './retention/log-partitions.job';
import {
  DEFAULT_LOG_PARTITIONS_OPTIONS,
  LOG_PARTITIONS_OPTIONS,
  LogPartitionsOptions,
} from './retention/log-partitions.options';
import { enforcementAccessRecorder } from './access-log/access-recorder.provider';
import { EnforcementAccessLog1765600000000 } from './migrations/1765600000000-enforcement-access-log';

export interface EnforcementModuleOptions {
  databaseUrl: string;
  /** the embedded mode's in-process database (then databaseUrl is not used) */
  embedded?: EmbeddedPostgres;
  poolSize?: number;
  migrate?: boolean;
  /** carries the check's cache invalidations between replicas; absent: one process, they stay in memory */
  redisUrl?: string;
  /** webhook delivery policy; the defaults when not given */
  delivery?: DeliveryOptions;
  /** subjects one department may watch (WATCH_LIST_MAX_PER_DEPARTMENT) */
  watchListMaxPerDepartment?: number;
  /** when batch checks count as a sweep; the defaults when not given */
  sweep?: SweepOptions;
  /** the key of the webhook secrets at rest and whether plain http is allowed (`enforcementSettingsOf`) */
  webhooks: WebhookOptions;
  /**
   * The check's index split over the replicas by the Kafka group's assignment (decision 0055), holding at
   * most `maxRows` rows each; absent: every replica holds the whole set (at most 2 M rows), as before.
   */
  checkIndex?: { split: boolean; maxRows: number };
  /** the check log's and the access log's months and retention (decision 0056); the defaults when not given */
  logPartitions?: LogPartitionsOptions;
}

export const ENFORCEMENT_ENTITIES = [DepartmentAssignment, Delivery, DeliveryTarget, WebhookSecret];
/** The migrations; one of them encrypts the webhook secrets, so it needs the key. */
export const enforcementMigrations = (cipher: WebhookSecretCipher) => [
  ...ENFORCEMENT_MIGRATIONS,
  enforcementWebhookPolicyMigration(cipher),
];

export const ENFORCEMENT_MIGRATIONS = [
  EnforcementInit1764000000000,
  EnforcementDelivery1764100000000,
  EnforcementDeliveryLog1764300000000,
  EnforcementChecks1764400000000,
  EnforcementOutboxV21764500000000,
  EnforcementWatchLists1764600000000,
  EnforcementLegacyIndex1764800000000,
  EnforcementOutboxPublishedLog1765300000000,
  EnforcementOutboxRecipes1765400000000,
  EnforcementOutboxParked1765500000000,
  EnforcementKnownDepartments1765519000000,
  EnforcementAccess1766120000000,
  EnforcementAccessLog1765600000000,
  EnforcementAnonymisedSubjects1766300000000,
  EnforcementBindingPartitions1768600000000,
  EnforcementPartitionedLogs1768800000000,
  EnforcementRemovalsPruned1768800000002,
  EnforcementEntryEnds1769300000000,
  EnforcementDailyCheckLog1769630000000,
  EnforcementCheckLogRollup1769640000000,
  EnforcementCheckSubjectDays1769650000000,
  EnforcementAssignmentsByPartition1769660000000,
  EnforcementEntryPartitions1769670000000,
  EnforcementCheckSubjectsByDay1769680000000,
];

/** 措施实施: each implementing department's inbox and feedback (the check and push delivery build on it). */
@Module({})
@DocumentedRoutes(CHECK_ROUTE_DOCUMENT)
export class EnforcementModule {
  static register(options: EnforcementModuleOptions): DynamicModule {
    const cipher = new WebhookSecretCipher(options.webhooks.secretKey, options.webhooks.previousSecretKeys);
    return {
      module: EnforcementModule,
      controllers: [
        ChecksController,
        CheckLogSummaryController,
        CheckLogController,
        WatchListController,
        InboxController,
        DeliveriesController,
        AssignmentStreamController,
        AccessLogController,
        WebhookHostAllowListController,
        CheckIndexController,
      ],
      providers: [
        CheckLogQueries,
        CheckLogSummaryQueries,
        AccessLogQueries,
        WatchListRepository,
        WatchSubjectUseCase,
        UnwatchSubjectUseCase,
        GrantWatchUseCase,
        InboxQueries,
        DeliveryRepository,
        ...serviceInfrastructureProviders(
          { dataSource: ENFORCEMENT_DB, messaging: ENFORCEMENT_MESSAGING },
          {
            service: 'enforcement',
            schema: ENFORCEMENT_SCHEMA,
            url: options.databaseUrl,
            embedded: options.embedded,
            poolSize: options.poolSize,
            migrate: options.migrate ?? true,
            entities: ENFORCEMENT_ENTITIES,
            migrations: enforcementMigrations(cipher),
          },
        ),
        ...knownDepartmentsProviders(
          { dataSource: ENFORCEMENT_DB, messaging: ENFORCEMENT_MESSAGING },
          { service: 'enforcement', schema: ENFORCEMENT_SCHEMA, source: 'events' },
        ),
        ...(options.redisUrl ? redisProviders(options.redisUrl) : inProcessCacheProviders()),
        { provide: MeasureQueries, useClass: PgMeasureQueries },
        {
          provide: IndexOwnership,
          inject: [MessageBus, ROOT_LOGGER],
          useFactory: (bus: MessageBus, logger: Logger) =>
            options.checkIndex?.split
              ? new KafkaIndexOwnership(bus, options.checkIndex.maxRows, logger)
              : new WholeIndex(options.checkIndex?.maxRows),
        },
        ActiveMeasures,
        // split: not ready until the partitions first given are read (decision 0058)
        ...(options.checkIndex?.split ? [CheckIndexReadiness] : []),
        CheckLog,
        CheckSubjectUseCase,
        CheckBatchUseCase,
        DecideCheckUseCase,
        CheckRoute,
        { provide: SWEEP_OPTIONS, useValue: options.sweep ?? DEFAULT_SWEEP_OPTIONS },
        SweepDetector,
        AssignmentEventsHandlers,
        EntryEndsHandlers,
        WatchListHandlers,
        RecordFeedbackUseCase,
        AcknowledgeAssignmentsUseCase,
        deliveryOptionsProvider(options.delivery),
        DeliveryNotifications,
        DeliveryEventsHandlers,
        { provide: WEBHOOK_OPTIONS, useValue: options.webhooks },
        { provide: WebhookSecretCipher, useValue: cipher },
        WebhookSecrets,
        RotateWebhookSecretUseCase,
        ReplayDeliveryUseCase,
        WebhookHostAllowList,
        AllowWebhookHostUseCase,
        DisallowWebhookHostUseCase,
        DeliveryPayloadRetention,
        WebhookDispatcher,
        AssignmentStream,
        { provide: WATCH_LIST_MAX, useValue: options.watchListMaxPerDepartment ?? DEFAULT_WATCH_LIST_MAX },
        enforcementAccessRecorder,
        AccessLogHandlers,
        AnonymiseCopiesHandlers,
        {
          provide: LOG_PARTITIONS_OPTIONS,
          useValue: options.logPartitions ?? DEFAULT_LOG_PARTITIONS_OPTIONS,
        },
        LogPartitionsJob,
      ],
    };
  }
}
