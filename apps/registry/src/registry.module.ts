import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructureProviders } from '@credit/messaging';
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
import { REGISTRY_DB, REGISTRY_MESSAGING, REGISTRY_SCHEMA } from './registry.tokens';

export interface RegistryModuleOptions {
  databaseUrl: string;
  poolSize?: number;
  migrate?: boolean;
}

export const REGISTRY_ENTITIES = [Department, ListType, ListEntry];
export const REGISTRY_MIGRATIONS = [RegistryInit1764000000000];

/** 名单认定: departments, list types and the life of list entries. */
@Module({})
export class RegistryModule {
  static register(options: RegistryModuleOptions): DynamicModule {
    return {
      module: RegistryModule,
      controllers: [DepartmentsController, ListTypesController, ListEntriesController],
      providers: [
        ...serviceInfrastructureProviders(
          { dataSource: REGISTRY_DB, messaging: REGISTRY_MESSAGING },
          {
            service: 'registry',
            schema: REGISTRY_SCHEMA,
            url: options.databaseUrl,
            poolSize: options.poolSize,
            migrate: options.migrate ?? true,
            entities: REGISTRY_ENTITIES,
            migrations: REGISTRY_MIGRATIONS,
          },
        ),
        CreateListEntryUseCase,
        NoticeListEntryUseCase,
        PublishListEntryUseCase,
        EndListEntryUseCase,
      ],
    };
  }
}
