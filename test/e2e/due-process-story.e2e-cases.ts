import { Client } from 'pg';
import { TrailSealJob } from '../../apps/tracking/src/trail/trail-seal.job';
import { mintToken } from '@credit/auth';
import { startPlatform, TEST_JWT_SECRET } from '../support/services';
import { describeDueProcessStory } from './due-process-story';

describeDueProcessStory('over PostgreSQL, Redis and Kafka (four services)', async () => {
  const platform = await startPlatform();
  return {
    url: platform.url,
    token: platform.token,
    subjectToken: (id) => mintToken({ sub: id, dept: '', roles: ['subject'] }, TEST_JWT_SECRET),
    passTime: async (sql, params) => {
      const pg = new Client({ connectionString: platform.databaseUrl });
      await pg.connect();
      try {
        await pg.query(sql, params);
      } finally {
        await pg.end();
      }
    },
    seal: async () => {
      await platform.app.tracking.get(TrailSealJob).seal();
    },
    close: platform.close,
  };
});
