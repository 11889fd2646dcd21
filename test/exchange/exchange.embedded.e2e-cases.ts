import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@credit/auth';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { EmbeddedProcess, startEmbeddedProcess } from '../support/embedded-process';
import { ServiceName } from '../support/services';
import { describeExchangeStory } from './exchange-story';

/**
 * 区域联合奖惩 in the embedded mode (one process, PGlite, the in-process bus; no PostgreSQL, Redis or
 * Kafka). A refusal's "nothing stored" is shown by the same document, signed, being new afterwards.
 */
describe('exchange with other regions (embedded)', () => {
  const root = mkdtempSync(join(tmpdir(), 'exchange-embedded-'));
  let running: EmbeddedProcess | undefined;

  describeExchangeStory('in the embedded mode', async () => {
    running = await startEmbeddedProcess({ dataDir: join(root, 'data'), args: ['--no-demo'] });
    const url = running.url;
    return {
      url: Object.fromEntries(
        ['registry', 'trigger', 'enforcement', 'tracking'].map((s) => [s, url]),
      ) as Record<ServiceName, string>,
      token: (dept, roles) => mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles }, LOCAL_JWT_SECRET),
      regionSupervisor: (region) =>
        mintToken(
          { sub: `sup-${region}`, dept: 'CREDIT_OFFICE', roles: ['supervisor'], region },
          LOCAL_JWT_SECRET,
        ),
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
