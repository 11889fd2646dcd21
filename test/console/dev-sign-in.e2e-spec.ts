import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { devSignInOf, RegistryModule } from '../../apps/registry/src/registry.module';
import { createRootLogger, loadConfig, ServiceConfig } from '@credit/platform';
import { createServiceApp } from '@credit/runtime';
import { createTestDatabase, KAFKA_BROKERS, uniquePrefix } from '../support/infra';
import { api, TEST_JWT_SECRET } from '../support/services';

/**
 * The console's development sign-in (decision 0028): where NODE_ENV is development (or test) the registry
 * lists the departments with the roles each may hold and mints a token for one; in production the routes
 * do not exist.
 */
describe('the development sign-in', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const apps: NestFastifyApplication[] = [];

  const registry = async (nodeEnv: string) => {
    const config = loadConfig(ServiceConfig, {
      NODE_ENV: nodeEnv,
      DATABASE_URL: database.url,
      KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: uniquePrefix(),
      KAFKA_PARTITIONS: '1',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    });
    const app = await createServiceApp({
      name: 'registry',
      title: 'registry',
      config,
      logger: createRootLogger('registry', config.LOG_LEVEL),
      modules: [
        RegistryModule.register({
          databaseUrl: database.url,
          poolSize: 2,
          expiryIntervalMs: 0,
          devSignIn: devSignInOf(config),
        }),
      ],
    });
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    return app.getUrl();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await database.drop();
  });

  it('is there in development: the departments with their roles, and a token the API accepts', async () => {
    const url = await registry('development');
    const options = await api<{ departments: { code: string; roles: string[] }[] }>(
      'GET',
      `${url}/dev/v1/sign-in-options`,
    );
    expect(options.status).toBe(200);
    const office = options.body.departments.find((d) => d.code === 'CREDIT_OFFICE');
    expect(office?.roles).toEqual(
      expect.arrayContaining(['supervisor', 'admin', 'initiator', 'implementer']),
    );
    const minted = await api<{ token: string; role: string }>('POST', `${url}/dev/v1/token`, {
      body: { dept: 'CREDIT_OFFICE', role: 'admin' },
    });
    expect(minted.status).toBe(201);
    const departments = await api('GET', `${url}/v1/departments`, { token: minted.body.token });
    expect(departments.status).toBe(200);
    const unknown = await api('POST', `${url}/dev/v1/token`, {
      body: { dept: 'NOWHERE', role: 'initiator' },
    });
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({
      status: 422,
      code: 'DEV.UNKNOWN_DEPARTMENT',
    });
    const forged = await api('POST', `${url}/dev/v1/token`, {
      body: { dept: 'CREDIT_OFFICE', role: 'root' },
    });
    expect(forged.status).toBe(400);
  });

  it('signs a subject in with its own identifier (role subject, no dept): the API reads its record', async () => {
    const url = await registry('development');
    const options = await api<{ subjects: unknown[] }>('GET', `${url}/dev/v1/sign-in-options`);
    expect(Array.isArray(options.body.subjects)).toBe(true);
    const company = '91330106MA2H7QK4XQ';
    const minted = await api<{ token: string; subject: string; role: string }>(
      'POST',
      `${url}/dev/v1/token`,
      { body: { role: 'subject', subject: ` ${company} ` } },
    );
    expect({ status: minted.status, subject: minted.body.subject, role: minted.body.role }).toEqual({
      status: 201,
      subject: company,
      role: 'subject',
    });
    const record = await api<{ identifier: string; entries: unknown[] }>('GET', `${url}/v1/me/record`, {
      token: minted.body.token,
    });
    expect({ status: record.status, identifier: record.body.identifier }).toEqual({
      status: 200,
      identifier: company,
    });
    const bad = await api('POST', `${url}/dev/v1/token`, { body: { role: 'subject', subject: '123' } });
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 422, code: 'DEV.INVALID_SUBJECT' });
    const missing = await api('POST', `${url}/dev/v1/token`, { body: { role: 'subject' } });
    expect(missing.status).toBe(400);
  });

  it('does not exist in production: 404 on both routes, whatever secret is configured', async () => {
    expect(devSignInOf({ NODE_ENV: 'production', AUTH_JWT_SECRET: TEST_JWT_SECRET })).toBeUndefined();
    expect(devSignInOf({ NODE_ENV: undefined, AUTH_JWT_SECRET: TEST_JWT_SECRET })).toBeUndefined();
    const url = await registry('production');
    const options = await api('GET', `${url}/dev/v1/sign-in-options`);
    const token = await api('POST', `${url}/dev/v1/token`, {
      body: { dept: 'CREDIT_OFFICE', role: 'admin' },
    });
    expect({ options: options.status, token: token.status }).toEqual({ options: 404, token: 404 });
  });
});
