import { BeforeApplicationShutdown, OnApplicationBootstrap, OnModuleInit, Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { DepartmentDirectory } from '@credit/auth';
import { CloudEvent, DepartmentRegisteredV1, EventTypes, Topics } from '@credit/contracts';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { HandlerContext } from './event-consumer';
import { ServiceInfrastructureTokens } from './nest';
import { ServiceMessaging } from './service-messaging';

/** The table a service keeps of the registered departments (its own copy: no cross-service reads). */
export function knownDepartmentsTableUp(schema: string): string[] {
  return [
    `CREATE TABLE ${schema}.known_departments (
       code text PRIMARY KEY,
       supervising boolean NOT NULL DEFAULT false,
       region text,
       registered_at timestamptz NOT NULL DEFAULT now()
     )`,
  ];
}

export function knownDepartmentsTableDown(schema: string): string[] {
  return [`DROP TABLE ${schema}.known_departments`];
}

export interface KnownDepartmentsOptions {
  service: string;
  schema: string;
  /**
   * `events`: consume `credit.departments` into `<schema>.known_departments` (trigger, enforcement,
   * tracking); `registry`: the registry's own `registry.departments`, which it writes itself.
   */
  source: 'events' | 'registry';
  /** Appended to the consumer group (a second instance reading every topic on its own, as tracking's replay). */
  groupSuffix?: string;
}

/**
 * Keeps the process's DepartmentDirectory (what the token verifier looks a `dept` up in) in step with
 * the registered departments: loaded at start, reloaded every AUTH_DEPARTMENTS_REFRESH_MS, and told at
 * once of each registration this replica applies. Another replica of the same service (the consumer
 * group gives the event to one) learns it at its next reload: within seconds everywhere.
 */
export class KnownDepartments implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly reloading: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: ServiceMessaging,
    private readonly directory: DepartmentDirectory,
    logger: Logger,
    private readonly options: KnownDepartmentsOptions,
  ) {
    this.reloading = new PeriodicTask(
      directory.refreshMs,
      () => this.reload(),
      logger.child({ service: options.service, component: 'known-departments' }),
      'reloading the registered departments',
    );
  }

  private get table(): string {
    return this.options.source === 'registry'
      ? `${this.options.schema}.departments`
      : `${this.options.schema}.known_departments`;
  }

  onModuleInit(): void {
    if (this.options.source !== 'events') return;
    this.messaging.consume({
      name: `${this.options.service}.departments${this.options.groupSuffix ?? ''}`,
      topics: [Topics.departments],
      handlers: { [EventTypes.departmentRegistered]: (event, context) => this.apply(event, context) },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.reloading.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.reloading.stop();
  }

  /** Every registered department of the service's table into the directory. */
  async reload(): Promise<void> {
    const rows: { code: string; supervising: boolean }[] = await this.dataSource.query(
      `SELECT code, supervising FROM ${this.table}`,
    );
    for (const row of rows) this.directory.learn(row.code, row.supervising);
  }

  private async apply(
    event: CloudEvent<DepartmentRegisteredV1>,
    { manager, onCommitted }: HandlerContext,
  ): Promise<void> {
    const { code, region, at } = event.data;
    const supervising = event.data.supervising === true;
    await manager.query(
      `INSERT INTO ${this.table} (code, supervising, region, registered_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO UPDATE SET supervising = EXCLUDED.supervising, region = EXCLUDED.region`,
      [code, supervising, region, new Date(at)],
    );
    onCommitted(() => this.directory.learn(code, supervising));
  }
}

/** The providers of KnownDepartments for a service module (one line in its providers). */
export function knownDepartmentsProviders(
  tokens: ServiceInfrastructureTokens,
  options: KnownDepartmentsOptions,
): Provider[] {
  return [
    {
      provide: Symbol(`${options.service}:known-departments`),
      inject: [tokens.dataSource, tokens.messaging, DepartmentDirectory, ROOT_LOGGER],
      useFactory: (
        dataSource: DataSource,
        messaging: ServiceMessaging,
        directory: DepartmentDirectory,
        logger: Logger,
      ) => new KnownDepartments(dataSource, messaging, directory, logger, options),
    },
  ];
}
