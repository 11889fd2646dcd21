import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { mintToken } from '@credit/auth';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { startEmbeddedProcess } from '../support/embedded-process';
import { ServiceName, startPlatform, TEST_JWT_SECRET } from '../support/services';
import { describeSubjectJourney } from './subject-journey';

describeSubjectJourney(
  'over PostgreSQL, Redis and Kafka (four services)',
  async () => {
    const platform = await startPlatform();
    return {
      url: platform.url,
      token: (dept, roles) => platform.token(dept, roles),
      jwtSecret: TEST_JWT_SECRET,
      sql: async (text, params) => {
        const pg = new Client({ connectionString: platform.databaseUrl });
        await pg.connect();
        try {
          await pg.query(text, params);
        } finally {
          await pg.end();
        }
      },
      close: platform.close,
    };
  },
  true,
);

describeSubjectJourney(
  'in the embedded mode (one process)',
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'subject-journey-'));
    const running = await startEmbeddedProcess({ dataDir: join(root, 'data'), args: ['--no-demo'] });
    return {
      url: Object.fromEntries(
        ['registry', 'trigger', 'enforcement', 'tracking'].map((s) => [s, running.url]),
      ) as Record<ServiceName, string>,
      token: (dept, roles) => mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles }, LOCAL_JWT_SECRET),
      jwtSecret: LOCAL_JWT_SECRET,
      close: async () => {
        expect(await running.stop()).toBe(0);
        rmSync(root, { recursive: true, force: true });
      },
    };
  },
  false,
);
