import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamicModule, Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EnforcementConfig, enforcementSettingsOf } from '../../apps/enforcement/src/config';
import { EnforcementModule } from '../../apps/enforcement/src/enforcement.module';
import { RegistryModule } from '../../apps/registry/src/registry.module';
import { TrackingModule, TrackingModuleOptions } from '../../apps/tracking/src/tracking.module';
import { RescreenOptions } from '../../apps/trigger/src/rescreen/rescreen-entries.job';
import { TriggerModule } from '../../apps/trigger/src/trigger.module';
import { mintToken } from '@credit/auth';
import { Role } from '@credit/contracts';
import { BusModule } from '@credit/messaging';
import { EmbeddedPostgres } from '@credit/persistence';
import { createRootLogger, loadConfig, ServiceConfig } from '@credit/platform';
import { createServiceApp } from '@credit/runtime';
import { admitDepartment } from './departments';
import { ensureTemplate } from './pglite-template';

/**
 * The medium tier (decision 0046): the services' own modules, use cases, handlers and jobs over an
 * in-memory PGlite with the migrations applied and the in-process bus — the pieces the embedded mode runs —
 * in one Nest application that is never bound to a port (routes are called through fastify.inject).
 * One platform per spec file: nothing outside the process is reached, so a rule is tested in seconds.
 */
export type MediumService = 'registry' | 'trigger' | 'enforcement' | 'tracking';

export interface MediumOptions {
  /** the services to compose (default: all four, as the embedded mode does) */
  services?: MediumService[];
  /** tracking's follow-up and reconciliation settings (their jobs stay off: the spec runs them) */
  tracking?: Pick<TrackingModuleOptions, 'followUp' | 'reconciliation'>;
  /** trigger's re-screening of entries in force when the catalogue changes */
  rescreen?: Partial<RescreenOptions>;
  /** registry's development sign-in routes (decision 0028), signing with the medium secret */
  devSignIn?: boolean;
}

export interface MediumResponse<T> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
  /** the answer's bytes as sent (a CSV with its byte order mark, a workbook) */
  payload: Buffer;
}

export interface MediumPlatform {
  app: NestFastifyApplication;
  db: EmbeddedPostgres;
  /** a bearer token for a department (admitted to every service, as tests/support/departments.ts says) */
  token(dept: string, roles: Role[], sub?: string): Promise<string>;
  /** calls a route in the process (fastify.inject: no socket) */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: { contentType: string; payload: Buffer } },
  ): Promise<MediumResponse<T>>;
  /** a provider of the composed app, e.g. a use case to run directly */
  get<T>(type: Type<T>): T;
  /** SQL on the embedded database, for what a spec arranges that no route offers (e.g. back-dating) */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export const MEDIUM_JWT_SECRET = 'medium-secret-for-tests-0123456789';

const ALL: MediumService[] = ['registry', 'trigger', 'enforcement', 'tracking'];

export async function startMedium(options: MediumOptions = {}): Promise<MediumPlatform> {
  const template = await migratedTemplate();
  const dataDir = mkdtempSync(join(tmpdir(), 'credit-medium-'));
  cpSync(template, join(dataDir, 'pgdata'), { recursive: true });
  const platform = await compose(options.services ?? ALL, options, dataDir);
  const close = platform.close;
  return {
    ...platform,
    close: async () => {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A database folder with every service's migrations applied, built once per set of migrations and copied
 * for each spec file (test/support/pglite-template.ts): PGlite's initdb and the migrations take tens of
 * seconds under load, opening a copy a second or two.
 */
export function migratedTemplate(): Promise<string> {
  return ensureTemplate(async (dataDir) => {
    const platform = await compose(ALL, {}, dataDir);
    await platform.close();
  });
}

async function compose(
  services: MediumService[],
  options: MediumOptions,
  dataDir: string,
): Promise<MediumPlatform> {
  const db = await EmbeddedPostgres.open({ dataDir });
  const database = { databaseUrl: 'embedded', embedded: db, migrate: true };
  const modules: Record<MediumService, () => DynamicModule> = {
    registry: () =>
      RegistryModule.register({
        ...database,
        expiryIntervalMs: 0,
        ...(options.devSignIn ? { devSignIn: { jwtSecret: MEDIUM_JWT_SECRET } } : {}),
      }),
    trigger: () =>
      TriggerModule.register({
        ...database,
        rescreen: options.rescreen,
        window: { intervalMs: 0 },
        webhookPolicy: { allowPlainHttp: true },
      }),
    enforcement: () =>
      EnforcementModule.register({
        ...database,
        ...enforcementSettingsOf(loadConfig(EnforcementConfig, { NODE_ENV: 'test' })),
      }),
    tracking: () =>
      TrackingModule.register({
        ...database,
        followUp: { intervalMs: 0, ...options.tracking?.followUp },
        reconciliation: { intervalMs: 0, ...options.tracking?.reconciliation },
      }),
  };
  const config = loadConfig(ServiceConfig, {
    AUTH_JWT_SECRET: MEDIUM_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  });
  let app: NestFastifyApplication | undefined;
  try {
    app = await createServiceApp({
      name: 'medium',
      title: 'medium',
      config,
      logger: createRootLogger('medium', config.LOG_LEVEL),
      bus: BusModule.forInProcess({ partitions: 2 }),
      shutdownHooks: false,
      modules: services.map((s) => modules[s]()),
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (err) {
    await app?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
  const started = app;
  return {
    app: started,
    db,
    token: (dept, roles, sub = `${dept.toLowerCase()}-user`) => {
      admitDepartment([started], dept, roles);
      return mintToken({ sub, dept, roles }, MEDIUM_JWT_SECRET);
    },
    api: async <T>(
      method: string,
      path: string,
      opts: { token?: string; body?: unknown; raw?: { contentType: string; payload: Buffer } } = {},
    ) => {
      const res = await started
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: method as 'GET',
          url: path,
          headers: {
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
            ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(opts.raw ? { 'content-type': opts.raw.contentType } : {}),
          },
          payload: opts.raw
            ? opts.raw.payload
            : opts.body !== undefined
              ? JSON.stringify(opts.body)
              : undefined,
        });
      return {
        status: res.statusCode,
        body: parseBody(res.body) as T,
        headers: res.headers,
        payload: res.rawPayload,
      };
    },
    get: (type) => started.get(type, { strict: false }),
    sql: <R>(text: string, params: unknown[] = []) =>
      db.exclusive(async (client) => (await client.query(text, params)).rows as R[]),
    close: async () => {
      await started.close();
      await db.close();
    },
  };
}

function parseBody(text: string): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return text; // a text or CSV answer
  }
}
