import { DynamicModule, Module } from '@nestjs/common';
import {
  knownDepartmentsProviders,
  outboxAccessRecorderProvider,
  serviceInfrastructureProviders,
} from '@credit/messaging';
import { RegistrySupervisingDepartments1765519000000 } from './migrations/1765519000000-registry-supervising-departments';
import { DEV_SIGN_IN_SECRET, DevSignInController } from './dev-sign-in/dev-sign-in.controller';
import { DepartmentsController } from './departments/departments.controller';
import { Department } from './departments/department.entity';
import { CreateListEntryUseCase } from './list-entries/create-list-entry.usecase';
import { EndListEntryUseCase } from './list-entries/end-list-entry.usecase';
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
  REGISTRY_EXPIRY_INTERVAL,
  REGISTRY_IDENTIFIER_POLICY,
  REGISTRY_MESSAGING,
  REGISTRY_SCHEMA,
  REGISTRY_SOURCE,
} from './registry.tokens';
import { RepairApplication } from './repairs/repair-application.entity';
import { RepairsController } from './repairs/repairs.controller';
import { RepairUseCases } from './repairs/repairs.usecases';
import { Subject } from './subjects/subject.entity';
import { IdentifierPolicy, SubjectRegistry } from './subjects/subject-registry';
import { SubjectsController } from './subjects/subjects.controller';
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

export interface RegistryModuleOptions {
  databaseUrl: string;
  /** the embedded mode's in-process database (then databaseUrl is not used) */
  embedded?: EmbeddedPostgres;
  poolSize?: number;
  migrate?: boolean;
  /** how often ended periods are looked for (ms); 0 turns the job off (tests drive it directly) */
  expiryIntervalMs?: number;
  identifierPolicy?: IdentifierPolicy;
  /** retention of ended entries' personal data: days per class, job interval (decision 0021) */
  retention?: Parameters<typeof retentionOptions>[0];
  /**
   * The development-only sign-in routes (/dev/v1, decision 0028), with the secret their tokens are signed
   * with: given only where NODE_ENV is development or test (see devSignInSecret).
   */
  devSignIn?: { jwtSecret: string };
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
];

/** 名单认定: departments, list types and the life of list entries. */
@Module({})
export class RegistryModule {
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
        SubjectsController,
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
        {
          provide: REGISTRY_IDENTIFIER_POLICY,
          useValue: options.identifierPolicy ?? { orgCodeCheck: 'flag' },
        },
        ...(options.devSignIn
          ? [{ provide: DEV_SIGN_IN_SECRET, useValue: options.devSignIn.jwtSecret }]
          : []),
        SubjectRegistry,
        ExpireListEntriesJob,
        { provide: RETENTION_OPTIONS, useValue: retentionOptions(options.retention) },
        AnonymiseEndedEntriesJob,
        OpenObjectionUseCase,
        ResolveObjectionUseCase,
        RepairUseCases,
        CreateListEntryUseCase,
        NoticeListEntryUseCase,
        PublishListEntryUseCase,
        EndListEntryUseCase,
        ImportListEntriesUseCase,
      ],
    };
  }
}
