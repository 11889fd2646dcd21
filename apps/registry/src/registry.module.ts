import { DynamicModule, Module, Optional } from '@nestjs/common';
import { ConstraintErrors } from '@credit/platform';
import { REGISTRY_CONSTRAINT_ERRORS } from './registry.constraint-errors';
import {
  knownDepartmentsProviders,
  outboxAccessRecorderProvider,
  serviceInfrastructureProviders,
} from '@credit/messaging';
import { RegistrySupervisingDepartments1765519000000 } from './migrations/1765519000000-registry-supervising-departments';
import { DevSignInController } from './dev-sign-in/dev-sign-in.controller';
import { DEV_SIGN_IN_SECRET, IssueDevTokenUseCase } from './dev-sign-in/issue-dev-token.usecase';
import { RegisterDepartmentUseCase } from './departments/register-department.usecase';
import { DefineListTypeUseCase } from './list-types/define-list-type.usecase';
import { ChangeListTypeUseCase } from './list-types/change-list-type.usecase';
import { AllowIdentifierUseCase } from './subjects/allow-identifier.usecase';
import { DisallowIdentifierUseCase } from './subjects/disallow-identifier.usecase';
import { AcknowledgeFeedUseCase } from './publication/acknowledge-feed.usecase';
import { PullPublicationFeedUseCase } from './publication/pull-publication-feed.usecase';
import { RegisterPartnerUseCase } from './exchange/register-partner.usecase';
import { SetPartnerActiveUseCase } from './exchange/set-partner-active.usecase';
import { CreateAgreementUseCase } from './exchange/create-agreement.usecase';
import { DepartmentsController } from './departments/departments.controller';
import { Department } from './departments/department.entity';
import { CreateListEntryUseCase } from './list-entries/create-list-entry.usecase';
import { EndListEntryUseCase } from './list-entries/end-list-entry.usecase';
import { ExtendListEntryUseCase } from './list-entries/extend-list-entry.usecase';
import { ListEntriesController } from './list-entries/list-entries.controller';
import { ListEntry } from './list-entries/list-entry.entity';
import { NoticeListEntryUseCase } from './list-entries/notice-list-entry.usecase';
import { PublishListEntryUseCase } from './list-entries/publish-list-entry.usecase';
import { ListType } from './list-types/list-type.entity';
import { ListTypesController } from './list-types/list-types.controller';
import { RegistryInit1764000000000 } from './migrations/1764000000000-registry-init';
import { RegistryOutboxV21764500000000 } from './migrations/1764500000000-registry-outbox-v2';
import { RegistryOutboxPublishedLog1765300000000 } from './migrations/1765300000000-registry-outbox-published-log';
import { RegistryOutboxRecipes1765400000000 } from './migrations/1765400000000-registry-outbox-recipes';
import { RegistryOutboxParked1765500000000 } from './migrations/1765500000000-registry-outbox-parked';
import { RegistryEntryFks1764300000000 } from './migrations/1764300000000-registry-entry-fks';
import { RegistryLifecycle1764100000000 } from './migrations/1764100000000-registry-lifecycle';
import { EntryAmendment } from './objections/entry-amendment.entity';
import { Objection } from './objections/objection.entity';
import { ObjectionsController } from './objections/objections.controller';
import { OpenObjectionUseCase } from './objections/open-objection.usecase';
import { ResolveObjectionUseCase } from './objections/resolve-objection.usecase';
import {
  REGISTRY_DB,
  REGISTRY_DOCUMENTS_INTERVAL,
  REGISTRY_EXPIRY_INTERVAL,
  REGISTRY_IDENTIFIER_POLICY,
  REGISTRY_MESSAGING,
  REGISTRY_NOTICE_MAX_BACKDATE_DAYS,
  REGISTRY_SCHEMA,
  REGISTRY_SOURCE,
} from './registry.tokens';
import { RepairApplication } from './repairs/repair-application.entity';
import { RepairsController } from './repairs/repairs.controller';
import { AcceptRepairUseCase } from './repairs/accept-repair.usecase';
import { DecideRepairUseCase } from './repairs/decide-repair.usecase';
import { RequestRepairMaterialUseCase } from './repairs/request-repair-material.usecase';
import { RepairDeadlines } from './repairs/repair-deadlines';
import { SubmitRepairUseCase } from './repairs/submit-repair.usecase';
import { SupplyRepairMaterialUseCase } from './repairs/supply-repair-material.usecase';
import { WithdrawRepairUseCase } from './repairs/withdraw-repair.usecase';
import { RepairQueries } from './repairs/repair.queries';
import { ListEntryQueries } from './list-entries/list-entries.queries';
import { ListTypeRepository } from './list-types/list-type.repository';
import { DepartmentRepository } from './departments/department.repository';
import { ObjectionQueries } from './objections/objection.queries';
import { CommitmentQueries } from './commitments/commitment.queries';
import { StatementQueries } from './statements/statement.queries';
import { DocumentQueries } from './documents/document.queries';
import { ExchangeRepository } from './exchange/exchange.repository';
import { ImportQueries } from './imports/import.queries';
import { PublicEntryQueries } from './publication/public-entries.queries';
import { PublicationFeedRepository } from './publication/publication-feed.repository';
import { DevSignInQueries } from './dev-sign-in/dev-sign-in.queries';
import { Subject } from './subjects/subject.entity';
import { IdentifierPolicy, SubjectRegistry } from './subjects/subject-registry';
import { SubjectsController } from './subjects/subjects.controller';
import { SubjectQueries } from './subjects/subjects.queries';
import { IdentifierAllowListRepository } from './subjects/identifier-allow-list.repository';
import { ExpireListEntriesJob } from './list-entries/expire-list-entries.job';
import { ImportJob } from './imports/import-job.entity';
import { ImportListEntriesUseCase } from './imports/import-list-entries.usecase';
import { ListEntryImportsController } from './imports/imports.controller';
import { RegistryImports1764200000000 } from './migrations/1764200000000-registry-imports';
import type { EmbeddedPostgres } from '@credit/persistence';
import { AnonymiseEndedEntriesJob } from './retention/anonymise-ended-entries.job';
import { RETENTION_OPTIONS, retentionOptions } from './retention/retention.options';
import { RegistryRetention1765600000000 } from './migrations/1765600000000-registry-retention';
import { RegistryRepairTerms1767000000000 } from './migrations/1767000000000-registry-repair-terms';
import { RegistryListTypeImplementers1767010000001 } from './migrations/1767010000001-registry-list-type-implementers';
import { ListTypeAccess } from './list-types/list-type-access';
import { Commitment } from './commitments/commitment.entity';
import { CommitmentsController } from './commitments/commitments.controller';
import { RecordCommitmentUseCase } from './commitments/record-commitment.usecase';
import { SettleCommitmentUseCase } from './commitments/settle-commitment.usecase';
import { RegistryCommitments1767300000000 } from './migrations/1767300000000-registry-commitments';
import { RegistryDecisionAmount1767500000001 } from './migrations/1767500000001-registry-decision-amount';
import { RegistryPeriods1767700000000 } from './migrations/1767700000000-registry-periods';
import { RegistryDueProcessClosures1768010000000 } from './migrations/1768010000000-registry-due-process-closures';
import { RegistryOpenEndedPublicPeriod1768030000001 } from './migrations/1768030000001-registry-open-ended-public-period';
import { RegistryDocumentsStoredAsIs1769400000000 } from './migrations/1769400000000-registry-documents-stored-as-is';
import { RegistryRepairProcess1767200000000 } from './migrations/1767200000000-registry-repair-process';
import { RegistryDocuments1767200000001 } from './migrations/1767200000001-registry-documents';
import { EntryDocument } from './documents/document.entity';
import { DocumentsController } from './documents/documents.controller';
import { IssueDocumentsJob } from './documents/issue-documents.job';
import { RegistryPublication1767600000000 } from './migrations/1767600000000-registry-publication';
import { PublicController } from './publication/public.controller';
import { PublicationFeedController } from './publication/publication-feed.controller';
import { PublicationFeedSequencer } from './publication/publication-feed.sequencer';
import {
  PUBLICATION_OPTIONS,
  PublicationOptions,
  publicationOptions,
} from './publication/publication.options';
import { Statement } from './statements/statement.entity';
import { StatementsController } from './statements/statements.controller';
import { AnswerStatementUseCase } from './statements/answer-statement.usecase';
import { FileStatementUseCase } from './statements/file-statement.usecase';
import { RecordController } from './record/record.controller';
import { SubjectMeasuresHandlers } from './record/subject-measures.handlers';
import { SubjectRecordQuery } from './record/subject-record.query';
import { RegistrySubjectParty1767100000000 } from './migrations/1767100000000-registry-subject-party';
import { RegistryExchange1768020000000 } from './migrations/1768020000000-registry-exchange';
import { ExchangeController } from './exchange/exchange.controller';
import { ExchangeRegistersController } from './exchange/exchange-registers.controller';
import { EXCHANGE_OPTIONS, exchangeOptions, ExchangeSettings } from './exchange/exchange.options';
import { ReceiveExchangeDocumentUseCase } from './exchange/receive-exchange-document.usecase';

export interface RegistryModuleOptions {
  databaseUrl: string;
  /** the embedded mode's in-process database (then databaseUrl is not used) */
  embedded?: EmbeddedPostgres;
  poolSize?: number;
  migrate?: boolean;
  /** how often ended periods are looked for (ms); 0 turns the job off (tests drive it directly) */
  expiryIntervalMs?: number;
  identifierPolicy?: IdentifierPolicy;
  /** how often pending documents are looked for (ms; 0: only when an act wakes the job) — decision 0026 */
  documentsIntervalMs?: number;
  /** retention of ended entries' personal data: days per class, job interval (decision 0021) */
  retention?: Parameters<typeof retentionOptions>[0];
  /** 公示: the public answers' cache, the feed's sequencing, the platforms' grace period (issue 14) */
  publication?: Partial<PublicationOptions>;
  /** how many days before now a notice may be dated (default 7) */
  noticeMaxBackdateDays?: number;
  /**
   * The development-only sign-in routes (/dev/v1, decision 0028), with the secret their tokens are signed
   * with: given only where NODE_ENV is development or test (see devSignInSecret).
   */
  devSignIn?: { jwtSecret: string };
  /** 区域联合奖惩: our region, platform and signing key (decision 0035; default: the development key) */
  exchange?: ExchangeSettings;
}

/** The development sign-in's secret where NODE_ENV allows it and a shared secret is configured. */
export function devSignInOf(config: { NODE_ENV?: string; AUTH_JWT_SECRET?: string; AUTH_JWKS_URL?: string }) {
  const dev = config.NODE_ENV === 'development' || config.NODE_ENV === 'test';
  return dev && config.AUTH_JWT_SECRET && !config.AUTH_JWKS_URL
    ? { jwtSecret: config.AUTH_JWT_SECRET }
    : undefined;
}

export const REGISTRY_ENTITIES = [
  Department,
  ListType,
  ListEntry,
  Subject,
  Objection,
  EntryAmendment,
  RepairApplication,
  ImportJob,
  Commitment,
  EntryDocument,
  Statement,
];
export const REGISTRY_MIGRATIONS = [
  RegistryInit1764000000000,
  RegistryLifecycle1764100000000,
  RegistryImports1764200000000,
  RegistryEntryFks1764300000000,
  RegistryOutboxV21764500000000,
  RegistryOutboxPublishedLog1765300000000,
  RegistryOutboxRecipes1765400000000,
  RegistryOutboxParked1765500000000,
  RegistrySupervisingDepartments1765519000000,
  RegistryRetention1765600000000,
  RegistryRepairTerms1767000000000,
  RegistryListTypeImplementers1767010000001,
  RegistryCommitments1767300000000,
  RegistryDecisionAmount1767500000001,
  RegistryPeriods1767700000000,
  RegistryRepairProcess1767200000000,
  RegistryDocuments1767200000001,
  RegistryPublication1767600000000,
  RegistrySubjectParty1767100000000,
  RegistryDueProcessClosures1768010000000,
  RegistryExchange1768020000000,
  RegistryOpenEndedPublicPeriod1768030000001,
  RegistryDocumentsStoredAsIs1769400000000,
];

/** 名单认定: departments, list types and the life of list entries. */
@Module({})
export class RegistryModule {
  // the constraint table is loaded here, explicitly, not by importing the file that throws (decision 0053)
  constructor(@Optional() constraints?: ConstraintErrors) {
    constraints?.load(REGISTRY_CONSTRAINT_ERRORS);
  }

  static register(options: RegistryModuleOptions): DynamicModule {
    return {
      module: RegistryModule,
      controllers: [
        ListEntryImportsController,
        DepartmentsController,
        ListTypesController,
        ListEntriesController,
        ObjectionsController,
        RepairsController,
        DocumentsController,
        SubjectsController,
        CommitmentsController,
        PublicController,
        PublicationFeedController,
        StatementsController,
        RecordController,
        ExchangeController,
        ExchangeRegistersController,
        ...(options.devSignIn ? [DevSignInController] : []),
      ],
      providers: [
        // reads of personal data go to enforcement's access log through the outbox (decision 0021)
        outboxAccessRecorderProvider(
          { dataSource: REGISTRY_DB, messaging: REGISTRY_MESSAGING },
          'registry',
          REGISTRY_SOURCE,
        ),
        ...serviceInfrastructureProviders(
          { dataSource: REGISTRY_DB, messaging: REGISTRY_MESSAGING },
          {
            service: 'registry',
            schema: REGISTRY_SCHEMA,
            url: options.databaseUrl,
            embedded: options.embedded,
            poolSize: options.poolSize,
            migrate: options.migrate ?? true,
            entities: REGISTRY_ENTITIES,
            migrations: REGISTRY_MIGRATIONS,
          },
        ),
        ...knownDepartmentsProviders(
          { dataSource: REGISTRY_DB, messaging: REGISTRY_MESSAGING },
          { service: 'registry', schema: REGISTRY_SCHEMA, source: 'registry' },
        ),
        { provide: REGISTRY_EXPIRY_INTERVAL, useValue: options.expiryIntervalMs ?? 60_000 },
        { provide: REGISTRY_DOCUMENTS_INTERVAL, useValue: options.documentsIntervalMs ?? 10_000 },
        IssueDocumentsJob,
        { provide: REGISTRY_NOTICE_MAX_BACKDATE_DAYS, useValue: options.noticeMaxBackdateDays ?? 7 },
        {
          provide: REGISTRY_IDENTIFIER_POLICY,
          useValue: options.identifierPolicy ?? { orgCodeCheck: 'flag' },
        },
        ...(options.devSignIn
          ? [
              { provide: DEV_SIGN_IN_SECRET, useValue: options.devSignIn.jwtSecret },
              DevSignInQueries,
              IssueDevTokenUseCase,
            ]
          : []),
        SubjectRegistry,
        SubjectQueries,
        IdentifierAllowListRepository,
        AllowIdentifierUseCase,
        DisallowIdentifierUseCase,
        ListTypeAccess,
        ExpireListEntriesJob,
        { provide: RETENTION_OPTIONS, useValue: retentionOptions(options.retention) },
        AnonymiseEndedEntriesJob,
        OpenObjectionUseCase,
        ResolveObjectionUseCase,
        RepairDeadlines,
        SubmitRepairUseCase,
        RequestRepairMaterialUseCase,
        SupplyRepairMaterialUseCase,
        AcceptRepairUseCase,
        DecideRepairUseCase,
        WithdrawRepairUseCase,
        RepairQueries,
        ListEntryQueries,
        ListTypeRepository,
        DefineListTypeUseCase,
        ChangeListTypeUseCase,
        DepartmentRepository,
        RegisterDepartmentUseCase,
        ObjectionQueries,
        CommitmentQueries,
        StatementQueries,
        DocumentQueries,
        ExchangeRepository,
        RegisterPartnerUseCase,
        SetPartnerActiveUseCase,
        CreateAgreementUseCase,
        ImportQueries,
        PublicEntryQueries,
        PublicationFeedRepository,
        AcknowledgeFeedUseCase,
        PullPublicationFeedUseCase,
        CreateListEntryUseCase,
        NoticeListEntryUseCase,
        PublishListEntryUseCase,
        EndListEntryUseCase,
        ExtendListEntryUseCase,
        ImportListEntriesUseCase,
        RecordCommitmentUseCase,
        SettleCommitmentUseCase,
        { provide: PUBLICATION_OPTIONS, useValue: publicationOptions(options.publication) },
        PublicationFeedSequencer,
        FileStatementUseCase,
        AnswerStatementUseCase,
        SubjectRecordQuery,
        SubjectMeasuresHandlers,
        { provide: EXCHANGE_OPTIONS, useValue: exchangeOptions(options.exchange) },
        ReceiveExchangeDocumentUseCase,
      ],
    };
  }
}
