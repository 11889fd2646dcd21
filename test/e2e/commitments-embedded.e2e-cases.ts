import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@credit/auth';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { describeCommitmentRoutes } from '../registry/commitments-story';
import { EmbeddedProcess, startEmbeddedProcess } from '../support/embedded-process';

const root = mkdtempSync(join(tmpdir(), 'commitments-embedded-'));
let running: EmbeddedProcess | undefined;

describe('commitments, embedded', () => {
  afterAll(async () => {
    await running?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** The commitment register in the embedded mode (npm start): one process, PGlite, the in-process bus. */
  describeCommitmentRoutes(
    'in the embedded mode',
    async () => {
      running = await startEmbeddedProcess({ dataDir: join(root, 'data'), args: ['--no-demo'] });
      const url = running.url;
      return {
        url,
        trackingUrl: url,
        token: (dept, roles) =>
          mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles }, LOCAL_JWT_SECRET),
        subjectToken: (id) => mintToken({ sub: id, dept: '', roles: ['subject'] }, LOCAL_JWT_SECRET),
      };
    },
    'E',
  );
});
