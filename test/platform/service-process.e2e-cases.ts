import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { mintToken } from '@credit/auth';
import { loadConfig, ServiceConfig, createRootLogger } from '@credit/platform';
import { createServiceApp } from '@credit/runtime';
import { enforcementSettingsFromEnv } from '../../apps/enforcement/src/config';
import { EnforcementModule } from '../../apps/enforcement/src/enforcement.module';
import { admitDepartment } from '../support/departments';
import { createTestDatabase, KAFKA_BROKERS, uniquePrefix } from '../support/infra';

const ROOT = join(__dirname, '..', '..');

function runMain(service: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, `apps/${service}/src/main.ts`)],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('a service process', () => {
  it.each([
    ['registry', { PORT: 'eighty' }, 'PORT'],
    ['trigger', { KAFKA_PARTITIONS: '0' }, 'KAFKA_PARTITIONS'],
    ['enforcement', { REDIS_URL: '', DATABASE_MIGRATE_ON_START: 'perhaps' }, 'DATABASE_MIGRATE_ON_START'],
    ['tracking', { NODE_ENV: 'production' }, 'AUTH_JWT_SECRET'],
    // decision 0019: the built-in secret only where NODE_ENV says development or test; production needs
    // an https JWKS, issuer and audience
    ['registry', { NODE_ENV: '' }, 'AUTH_JWT_SECRET'],
    ['trigger', { NODE_ENV: 'production', AUTH_JWKS_URL: 'http://idp.example/jwks' }, 'AUTH_ISSUER'],
  ])('%s refuses to start on bad configuration and names the variable', async (service, env, variable) => {
    const { code, stderr } = await runMain(service, { LOG_LEVEL: 'silent', ...env });
    expect(code).toBe(78);
    expect(stderr).toContain('invalid configuration');
    expect(stderr).toContain(variable);
  });
});

describe('readiness and correlation', () => {
  it('is not ready while Redis does not answer, and echoes the correlation id', async () => {
    const database = await createTestDatabase();
    const config = loadConfig(ServiceConfig, {
      DATABASE_URL: database.url,
      KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: uniquePrefix(),
      AUTH_JWT_SECRET: 'readiness-test-secret-123456',
      LOG_LEVEL: 'silent',
    });
    const app = await createServiceApp({
      name: 'enforcement',
      title: 'enforcement',
      config,
      logger: createRootLogger('enforcement', 'silent'),
      modules: [
        EnforcementModule.register({
          databaseUrl: database.url,
          poolSize: 2,
          redisUrl: 'redis://127.0.0.1:1',
          webhooks: enforcementSettingsFromEnv().webhooks,
        }),
      ],
    });
    try {
      await app.listen(0, '127.0.0.1');
      const url = await app.getUrl();
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(503);
      const report = (await ready.json()) as { status: string; checks: Record<string, { status: string }> };
      expect(report.status).toBe('error');
      expect(report.checks['enforcement.redis'].status).toBe('down');
      expect(report.checks['enforcement.database'].status).toBe('up');
      expect(report.checks.kafka.status).toBe('up');
      expect((await fetch(`${url}/health/live`)).status).toBe(200);

      admitDepartment([app], 'FINANCE', ['implementer']);
      const token = await mintToken(
        { sub: 'x', dept: 'FINANCE', roles: ['implementer'] },
        config.AUTH_JWT_SECRET!,
      );
      const given = await fetch(`${url}/v1/inbox`, {
        headers: { authorization: `Bearer ${token}`, 'x-correlation-id': 'corr-123' },
      });
      expect(given.status).toBe(200);
      expect(given.headers.get('x-correlation-id')).toBe('corr-123');
      const problem = await fetch(`${url}/v1/assignments/not-a-uuid/ack`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await problem.json()) as Record<string, unknown>;
      expect(problem.status).toBe(400);
      expect(body).toMatchObject({
        code: 'VALIDATION.FAILED',
        errors: [{ field: 'id', code: 'VALIDATION.IS_UUID' }],
      });
      expect(body.correlationId).toBe(problem.headers.get('x-correlation-id'));
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
