import { mintToken } from '@credit/auth';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { RegistryUnderTest, startRegistry } from '../support/registry-app';
import { TEST_JWT_SECRET } from '../support/services';
import { describeCommitmentRoutes } from './commitments-story';

let registry: RegistryUnderTest | undefined;
let probe: KafkaProbe | undefined;
let events: TopicReader | undefined;

afterAll(async () => {
  await probe?.close();
  await registry?.close();
});

describeCommitmentRoutes(
  'the registry over PostgreSQL and Kafka',
  async () => {
    registry = await startRegistry();
    probe = new KafkaProbe(registry.topicPrefix);
    events = await probe.read('credit.commitments');
    const r = registry;
    return {
      url: r.url,
      token: (dept, roles) => r.token(dept, roles),
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
