import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@credit/auth';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { EmbeddedProcess, startEmbeddedProcess } from '../support/embedded-process';
import { runEmbeddedSql } from '../support/embedded-sql';
import { ServiceName } from '../support/services';
import { describeDueProcessStory } from './due-process-story';

const root = mkdtempSync(join(tmpdir(), 'due-process-embedded-'));
const dataDir = join(root, 'data');
let running: EmbeddedProcess | undefined;

describe('the due-process story, embedded', () => {
  afterAll(async () => {
    await running?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /**
   * The same story in the embedded mode (npm start): one process, PGlite, the in-process bus. Days passing
   * are written into its files between a stop and a start, which also shows the story survives restarts.
   */
  describeDueProcessStory('in the embedded mode (one process)', async () => {
    const start = async () => {
      running = await startEmbeddedProcess({ dataDir, args: ['--no-demo'] });
    };
    await start();
    const everywhere = () =>
      Object.fromEntries(
        ['registry', 'trigger', 'enforcement', 'tracking'].map((s) => [s, running!.url]),
      ) as Record<ServiceName, string>;
    return {
      get url() {
        return everywhere();
      },
      token: (dept, roles) => mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles }, LOCAL_JWT_SECRET),
      subjectToken: (id) => mintToken({ sub: id, dept: '', roles: ['subject'] }, LOCAL_JWT_SECRET),
      passTime: async (sql, params) => {
        expect(await running!.stop()).toBe(0);
        running = undefined;
        await runEmbeddedSql(dataDir, sql, params);
        await start();
      },
      close: async () => {
        const p = running;
        running = undefined;
        if (p) expect(await p.stop()).toBe(0);
      },
    };
  });
});
