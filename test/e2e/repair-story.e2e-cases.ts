import { mintToken } from '@credit/auth';
import { startPlatform, TEST_JWT_SECRET } from '../support/services';
import { describeRepairStory } from './repair-story';

describeRepairStory('over PostgreSQL, Redis and Kafka (four services)', async () => {
  const platform = await startPlatform();
  return {
    url: platform.url,
    token: platform.token,
    subjectToken: (id) => mintToken({ sub: id, dept: '', roles: ['subject'] }, TEST_JWT_SECRET),
    close: platform.close,
  };
});
