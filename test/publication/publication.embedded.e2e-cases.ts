import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@credit/auth';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { startEmbeddedProcess } from '../support/embedded-process';
import { describePublicationStory, PUBLIC_CACHE_TTL_MS, PUBLIC_QUOTA_PER_CLIENT } from './publication-story';

describePublicationStory('in the embedded mode (one process, PGlite, the in-process bus)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'publication-e2e-'));
  const embedded = await startEmbeddedProcess({
    dataDir: join(root, 'data'),
    args: ['--no-demo'],
    env: {
      QUOTA_PUBLIC_PER_CLIENT: String(PUBLIC_QUOTA_PER_CLIENT),
      TRUST_PROXY: 'loopback',
      PUBLIC_CACHE_TTL_MS: String(PUBLIC_CACHE_TTL_MS),
      PUBLICATION_FEED_SEQUENCE_INTERVAL_MS: '200',
    },
  });
  return {
    url: embedded.url,
    token: (dept, roles) => mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles }, LOCAL_JWT_SECRET),
    close: async () => {
      const code = await embedded.stop();
      rmSync(root, { recursive: true, force: true });
      if (code !== 0) throw new Error(`the embedded process exited with ${code}:\n${embedded.output()}`);
    },
  };
});
