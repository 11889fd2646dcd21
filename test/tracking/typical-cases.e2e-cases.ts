import { AnonymiseEndedEntriesJob } from '../../apps/registry/src/retention/anonymise-ended-entries.job';
import { startPlatform, TEST_JWT_SECRET, TestPlatform } from '../support/services';
import { describeTypicalCases, regionSupervisorWith, subjectTokenWith } from './typical-cases-story';

/** 典型案例 over the four services, PostgreSQL, Redis and Kafka. */
let platform: TestPlatform;

describeTypicalCases(
  'distributed',
  async () => {
    platform = await startPlatform();
    return {
      url: platform.url,
      token: (dept, roles) => platform.token(dept, roles),
      subjectToken: subjectTokenWith(TEST_JWT_SECRET),
      supervisorOf: regionSupervisorWith(TEST_JWT_SECRET),
      close: () => platform.close(),
    };
  },
  // the retention job run now, as if five years had passed since the end
  { anonymise: (_p, at) => platform.app.registry.get(AnonymiseEndedEntriesJob).anonymiseDue(at) },
);
