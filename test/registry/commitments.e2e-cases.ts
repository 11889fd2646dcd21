import { mintToken } from '@credit/auth';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { startPlatform, TEST_JWT_SECRET, TestPlatform } from '../support/services';
import { describeCommitmentRoutes } from './commitments-story';

let platform: TestPlatform | undefined;
let probe: KafkaProbe | undefined;
let events: TopicReader | undefined;

describe('commitments, distributed', () => {
  afterAll(async () => {
    await probe?.close();
    await platform?.close();
  });

  describeCommitmentRoutes(
    'the services over PostgreSQL and Kafka',
    async () => {
      platform = await startPlatform();
      probe = new KafkaProbe(platform.topicPrefix);
      events = await probe.read('credit.commitments');
      const p = platform;
      return {
        url: p.url.registry,
        trackingUrl: p.url.tracking,
        token: (dept, roles) => p.token(dept, roles),
        subjectToken: (id) => mintToken({ sub: id, dept: '', roles: ['subject'] }, TEST_JWT_SECRET),
        commitmentEvents: () =>
          events!.records.map((rec) => {
            const e = JSON.parse(rec.value!) as { type: string; data: Record<string, unknown> };
            return { type: e.type, key: rec.key, data: e.data };
          }),
      };
    },
    'D',
  );
});
