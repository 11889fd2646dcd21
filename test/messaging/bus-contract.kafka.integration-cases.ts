import { KafkaBus } from '@credit/messaging';
import { KAFKA_BROKERS, testLogger, uniquePrefix } from '../support/infra';
import { describeBusContract } from './bus-contract';

/** The Kafka adapter on the real broker against the contract the in-process bus also meets. */
const prefix = uniquePrefix();
describeBusContract(
  'Kafka',
  () =>
    new KafkaBus({
      brokers: KAFKA_BROKERS.split(','),
      clientId: 'bus-contract',
      prefix,
      // the failures below are provoked: their warnings would only hide a real failure's output
      logger: testLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    }),
);
