import type { Logger } from 'pino';
import { Topics } from '@credit/contracts';
import { MessageBus, Subscription } from '@credit/messaging';
import { IndexOwnership, Ownership } from './index-ownership';

/** The consumer group whose members split the index: every enforcement replica, one member each. */
export const CHECK_INDEX_GROUP = 'enforcement-check-index';

/**
 * The index split as Kafka splits the assignments topic (decision 0055): each replica joins a group of
 * its own on the topic, consumes nothing (the records are the assignment handlers' business, in their
 * own group), and holds the index of the partitions the group gives it. Records are keyed by the listed
 * subject, and a row's partition is its target's: the same function, so a check finds its owner by the
 * identifier it names. Kafka does the balancing, with a sticky assignment (libs/messaging) so that a
 * replica joining or leaving moves as few partitions' rows as balance needs.
 */
export class KafkaIndexOwnership extends IndexOwnership {
  private subscription?: Subscription;

  constructor(
    private readonly bus: MessageBus,
    readonly maxRows: number,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
  ) {
    super();
  }

  watch(changed: (ownership: Ownership) => void): void {
    this.bus
      .subscribe({
        groupId: CHECK_INDEX_GROUP,
        topics: [Topics.assignments],
        handle: () => Promise.resolve(), // membership only
        handleBatch: () => Promise.resolve(),
        maxBatch: 10_000,
        // a rebalance moves only what balance needs: every partition moved is reloaded from PostgreSQL
        sticky: true,
        onAssigned: (assignment) => {
          const mine = assignment.find((a) => a.topic === Topics.assignments);
          if (!mine) return;
          this.logger.info(
            { owned: mine.owned, partitions: mine.partitions },
            'check index partitions assigned',
          );
          changed({ partitions: mine.partitions, owned: mine.owned });
        },
      })
      .then((subscription) => (this.subscription = subscription))
      .catch((err: Error) => this.logger.warn({ err: err.message }, 'could not join the check index group'));
  }

  override async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}
