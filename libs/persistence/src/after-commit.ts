import {
  EventSubscriber,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';

/** Where a transaction's query runner keeps its callbacks (QueryRunner.data: user data for subscribers). */
const KEY = 'credit.afterCommit';

function callbacksOf(runner: QueryRunner): Set<() => void> | undefined {
  return (runner.data as Record<string, Set<() => void> | undefined>)[KEY];
}

/**
 * Runs `callback` once the transaction `manager` belongs to has committed; never when it rolls back. A
 * manager outside a transaction has committed its statement already: the callback runs at once. The same
 * function given twice in one transaction runs once. Needs AfterCommitSubscriber on the data source
 * (createServiceDataSource registers it).
 */
export function afterCommit(manager: EntityManager, callback: () => void): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    callback();
    return;
  }
  const data = runner.data as Record<string, Set<() => void> | undefined>;
  (data[KEY] ??= new Set()).add(callback);
}

/**
 * TypeORM's commit and rollback events, for afterCommit. A savepoint released is not the commit: the
 * callbacks wait for the outermost one. A savepoint rolled back keeps them (a wake-up for nothing costs
 * one look; a lost one costs latency). (TypeORM keeps only decorated classes of a data source's
 * `subscribers`; the decorator registers it with no data source that does not list it.)
 */
@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    const callbacks = callbacksOf(event.queryRunner);
    if (!callbacks) return;
    delete (event.queryRunner.data as Record<string, unknown>)[KEY];
    for (const callback of callbacks) {
      try {
        callback();
      } catch {
        // a wake-up that failed must not turn a transaction that committed into an error for its caller
      }
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    delete (event.queryRunner.data as Record<string, unknown>)[KEY];
  }
}
