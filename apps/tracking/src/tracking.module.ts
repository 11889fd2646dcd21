import { DynamicModule, Module } from '@nestjs/common';
import {
  knownDepartmentsProviders,
  outboxAccessRecorderProvider,
  serviceInfrastructureProviders,
} from '@credit/messaging';
import { TrackingKnownDepartments1765519000000 } from './migrations/1765519000000-tracking-known-departments';
import { DEFAULT_FOLLOW_UP_OPTIONS, FOLLOW_UP_OPTIONS, FollowUpOptions } from './follow-up/follow-up.options';
import { FollowUpProjector } from './follow-up/follow-up.projector';
import { OverdueController } from './follow-up/overdue.controller';
import { OverdueMetrics } from './follow-up/overdue-metrics';
import { OverdueQueries } from './follow-up/overdue.queries';
import { OverdueCounts } from './follow-up/overdue-counts';
import { OverdueFollowUpJob } from './follow-up/overdue-follow-up.job';
import { TrackingInit1764000000000 } from './migrations/1764000000000-tracking-init';
import { TrackingOutboxV21764500000000 } from './migrations/1764500000000-tracking-outbox-v2';
import { TrackingOutboxPublishedLog1765300000000 } from './migrations/1765300000000-tracking-outbox-published-log';
import { TrackingOutboxRecipes1765400000000 } from './migrations/1765400000000-tracking-outbox-recipes';
import { TrackingOutboxParked1765500000000 } from './migrations/1765500000000-tracking-outbox-parked';
import { TrackingFollowUp1764700000000 } from './migrations/1764700000000-tracking-follow-up';
import { TrackingReconciliation1764800000000 } from './migrations/1764800000000-tracking-reconciliation';
import { TrackingReconciliationMarks1769630000000 } from './migrations/1769630000000-tracking-reconciliation-marks';
import { TrackingTrailHitDays1769690000000 } from './migrations/1769690000000-tracking-trail-hit-days';
import { TrackingAssessment1764900000000 } from './migrations/1764900000000-tracking-assessment';
import { TrackingTrailSeals1765000000000 } from './migrations/1765000000000-tracking-trail-seals';
import { TrackingSuspension1765100000000 } from './migrations/1765100000000-tracking-suspension';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { ReconciliationQueries } from './reconciliation/reconciliation.queries';
import { ReconciliationJob } from './reconciliation/reconciliation.job';
import { RunReconciliationUseCase } from './reconciliation/run-reconciliation.usecase';
import {
  DEFAULT_RECONCILIATION_OPTIONS,
  RECONCILIATION_OPTIONS,
  ReconciliationOptions,
} from './reconciliation/reconciliation.options';
import { ReconciliationProjector } from './reconciliation/reconciliation.projector';
import { StatsController } from './stats/stats.controller';
import { StatsQueries } from './stats/stats.queries';
import {
  TRACKING_CONSUMER_GROUP_SUFFIX,
  TRACKING_DB,
  TRACKING_MESSAGING,
  TRACKING_SCHEMA,
  TRACKING_SOURCE,
} from './tracking.tokens';
import { AssessmentReport } from './reports/assessment';
import { AssessmentController } from './reports/assessment.controller';
import { AssessmentQueries } from './reports/assessment.queries';
import { ReportsController } from './reports/reports.controller';
import { TrailController } from './trail/trail.controller';
import { TrailQueries } from './trail/trail.queries';
import { TrailHandlers } from './trail/trail.handlers';
import { TrailSealJob } from './trail/trail-seal.job';
import { DEFAULT_TRAIL_OPTIONS, TRAIL_OPTIONS, TrailOptions } from './trail/trail.options';
import { TrailRecord } from './trail/trail-record.entity';
import { TrailAnonymisationHandlers } from './retention/trail-anonymisation.handlers';
import { TrackingTrailRedactions1765600000000 } from './migrations/1765600000000-tracking-trail-redactions';
import type { EmbeddedPostgres } from '@credit/persistence';
import { DueProcessController } from './due-process/due-process.controller';
import { DueProcessQueries } from './due-process/due-process.queries';
import { DueProcessFiguresReader } from './due-process/due-process.figures';
import { DueProcessProjector } from './due-process/due-process.projector';
import { TrackingDueProcess1767300000000 } from './migrations/1767300000000-tracking-due-process';
import { TrackingDueProcessClosures1768010000001 } from './migrations/1768010000001-tracking-due-process-closures';
import { TrackingTypicalCases1768030000000 } from './migrations/1768030000000-tracking-typical-cases';
import { TrackingPartitionedTrail1768800000001 } from './migrations/1768800000001-tracking-partitioned-trail';
import { TrackingOverdueRollup1768800000003 } from './migrations/1768800000003-tracking-overdue-rollup';
import { TrailPartitionsJob } from './trail/trail-partitions.job';
import {
  PublicCasesController,
  TypicalCaseReportController,
  TypicalCasesController,
} from './cases/typical-cases.controller';
import { NominateTypicalCaseUseCase } from './cases/nominate-typical-case.usecase';
import { ScreenTypicalCaseUseCase } from './cases/screen-typical-case.usecase';
import { TypicalCaseQueries } from './cases/typical-case.queries';
import { TrackingEntryOrigins1768020000000 } from './migrations/1768020000000-tracking-entry-origins';
import { OriginStatsController } from './stats/origin-stats.controller';
import { OriginStatsQueries } from './stats/origin-stats.queries';

export interface TrackingModuleOptions {
  databaseUrl: string;
  /** the embedded mode's in-process database (then databaseUrl is not used) */
  embedded?: EmbeddedPostgres;
  poolSize?: number;
  migrate?: boolean;
  /** deadlines, the overdue job (off unless `intervalMs` > 0) and the application threshold */
  followUp?: Partial<FollowUpOptions>;
  /** grace periods and deadlines of reconciliation, and its job (off unless `intervalMs` > 0) */
  reconciliation?: Partial<ReconciliationOptions>;
  /** sealing of the trail into its hash chain (off unless `sealIntervalMs` > 0) */
  trail?: Partial<TrailOptions>;
  /**
   * Appended to tracking's consumer group names: a second tracking (e.g. rebuilding a fresh database by
   * replaying every topic from the beginning) reads everything again instead of sharing the first's offsets.
   */
  groupSuffix?: string;
}

export const TRACKING_ENTITIES = [TrailRecord];
export const TRACKING_MIGRATIONS = [
  TrackingInit1764000000000,
  TrackingOutboxV21764500000000,
  TrackingFollowUp1764700000000,
  TrackingReconciliation1764800000000,
  TrackingAssessment1764900000000,
  TrackingTrailSeals1765000000000,
  TrackingSuspension1765100000000,
  TrackingOutboxPublishedLog1765300000000,
  TrackingOutboxRecipes1765400000000,
  TrackingOutboxParked1765500000000,
  TrackingKnownDepartments1765519000000,
  TrackingTrailRedactions1765600000000,
  TrackingDueProcess1767300000000,
  TrackingDueProcessClosures1768010000001,
  TrackingEntryOrigins1768020000000,
  TrackingTypicalCases1768030000000,
  TrackingPartitionedTrail1768800000001,
  TrackingOverdueRollup1768800000003,
  TrackingReconciliationMarks1769630000000,
  TrackingTrailHitDays1769690000000,
];

/** 跟踪问效: the append-only trail of every entry, deadlines and overdue follow-up, statistics. */
@Module({})
export class TrackingModule {
  static register(options: TrackingModuleOptions): DynamicModule {
    return {
      module: TrackingModule,
      controllers: [
        OriginStatsController,
        TrailController,
        OverdueController,
        StatsController,
        ReportsController,
        ReconciliationController,
        AssessmentController,
        DueProcessController,
        TypicalCasesController,
        TypicalCaseReportController,
        PublicCasesController,
      ],
      providers: [
        OverdueMetrics,
        StatsQueries,
        OverdueQueries,
        OverdueCounts,
        TrailQueries,
        ReconciliationQueries,
        DueProcessQueries,
        OriginStatsQueries,
        AssessmentQueries,
        // reads of personal data go to enforcement's access log through the outbox (decision 0021)
        outboxAccessRecorderProvider(
          { dataSource: TRACKING_DB, messaging: TRACKING_MESSAGING },
          'tracking',
          TRACKING_SOURCE,
        ),
        ...serviceInfrastructureProviders(
          { dataSource: TRACKING_DB, messaging: TRACKING_MESSAGING },
          {
            service: 'tracking',
            schema: TRACKING_SCHEMA,
            url: options.databaseUrl,
            embedded: options.embedded,
            poolSize: options.poolSize,
            migrate: options.migrate ?? true,
            entities: TRACKING_ENTITIES,
            migrations: TRACKING_MIGRATIONS,
          },
        ),
        ...knownDepartmentsProviders(
          { dataSource: TRACKING_DB, messaging: TRACKING_MESSAGING },
          {
            service: 'tracking',
            schema: TRACKING_SCHEMA,
            source: 'events',
            groupSuffix: options.groupSuffix,
          },
        ),
        { provide: FOLLOW_UP_OPTIONS, useValue: { ...DEFAULT_FOLLOW_UP_OPTIONS, ...options.followUp } },
        {
          provide: RECONCILIATION_OPTIONS,
          useValue: { ...DEFAULT_RECONCILIATION_OPTIONS, ...options.reconciliation },
        },
        { provide: TRAIL_OPTIONS, useValue: { ...DEFAULT_TRAIL_OPTIONS, ...options.trail } },
        { provide: TRACKING_CONSUMER_GROUP_SUFFIX, useValue: options.groupSuffix ?? '' },
        FollowUpProjector,
        OverdueFollowUpJob,
        ReconciliationProjector,
        AssessmentReport,
        RunReconciliationUseCase,
        ReconciliationJob,
        TrailHandlers,
        TrailAnonymisationHandlers,
        TrailSealJob,
        TrailPartitionsJob,
        DueProcessProjector,
        DueProcessFiguresReader,
        NominateTypicalCaseUseCase,
        ScreenTypicalCaseUseCase,
        TypicalCaseQueries,
      ],
    };
  }
}
