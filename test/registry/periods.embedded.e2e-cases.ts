import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@credit/auth';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { EmbeddedProcess, startEmbeddedProcess } from '../support/embedded-process';
import { ServiceName } from '../support/services';
import { describePeriodsAndExits } from './periods-story';

/**
 * The rules of periods and exits in the embedded mode (one process, PGlite, the in-process bus; no
 * PostgreSQL, Redis or Kafka), its expiry job running every half second.
 */
describe('periods and exits (embedded)', () => {
  const root = mkdtempSync(join(tmpdir(), 'periods-embedded-'));
  let running: EmbeddedProcess | undefined;

  describePeriodsAndExits('in the embedded mode', async () => {
    running = await startEmbeddedProcess({
      dataDir: join(root, 'data'),
      args: ['--no-demo'],
      env: { LIST_ENTRY_EXPIRY_INTERVAL_MS: '500' },
    });
    const url = running.url;
    return {
      url: Object.fromEntries(
        ['registry', 'trigger', 'enforcement', 'tracking'].map((s) => [s, url]),
      ) as Record<ServiceName, string>,
      token: (dept, roles) => mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles }, LOCAL_JWT_SECRET),
      close: async () => {
        const p = running;
        running = undefined;
        if (p) expect(await p.stop()).toBe(0);
      },
    };
  });

  afterAll(async () => {
    await running?.stop();
    rmSync(root, { recursive: true, force: true });
  });
});
