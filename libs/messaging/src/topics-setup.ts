import { ALL_TOPICS, deadLetterTopic } from '@credit/contracts';
import { MessageBus } from './message-bus';

/** Creates the contract topics and their dead-letter topics if missing (never left to auto-creation). */
export async function ensureContractTopics(bus: MessageBus, partitions: number): Promise<void> {
  await bus.ensureTopics(
    ALL_TOPICS.flatMap((topic) => [
      { topic, partitions },
      { topic: deadLetterTopic(topic), partitions: 1 },
    ]),
  );
}
