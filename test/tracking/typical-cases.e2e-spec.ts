import { startPlatform, TEST_JWT_SECRET } from '../support/services';
import { describeTypicalCases, subjectTokenWith } from './typical-cases-story';

/** 典型案例 over the four services, PostgreSQL, Redis and Kafka. */
describeTypicalCases('distributed', async () => {
  const platform = await startPlatform();
  return {
    url: platform.url,
    token: (dept, roles) => platform.token(dept, roles),
    subjectToken: subjectTokenWith(TEST_JWT_SECRET),
    close: () => platform.close(),
  };
});
