import { InProcessBus } from '@credit/messaging';
import { testLogger } from '../support/infra';
import { describeBusContract } from './bus-contract';

/** The embedded mode's bus against the same contract as Kafka (bus-contract.kafka.integration-cases.ts). */
describeBusContract(
  'in-process',
  () =>
    new InProcessBus({
      // the failures below are provoked: their warnings would only hide a real failure's output
      logger: testLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      prefix: 'contract.',
    }),
);
