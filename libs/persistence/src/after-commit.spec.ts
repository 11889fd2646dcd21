import type { EntityManager, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { afterCommit, AfterCommitSubscriber } from './after-commit';

/** A query runner as TypeORM leaves it in a transaction `depth` deep (0: none). */
function runner(depth: number): QueryRunner {
  return { isTransactionActive: depth > 0, data: {} } as unknown as QueryRunner;
}
const managerOf = (queryRunner?: QueryRunner) => ({ queryRunner }) as EntityManager;
const event = (queryRunner: QueryRunner) =>
  ({ queryRunner }) as TransactionCommitEvent & TransactionRollbackEvent;

describe('afterCommit', () => {
  const subscriber = new AfterCommitSubscriber();

  it('runs at once outside a transaction (the statement has committed)', () => {
    const calls: string[] = [];
    afterCommit(managerOf(undefined), () => calls.push('no runner'));
    afterCommit(managerOf(runner(0)), () => calls.push('no transaction'));
    expect(calls).toEqual(['no runner', 'no transaction']);
  });

  it('runs each function once when the outermost transaction commits, not at a savepoint', () => {
    const r = runner(2);
    const calls: string[] = [];
    const wake = () => calls.push('wake');
    afterCommit(managerOf(r), wake);
    afterCommit(managerOf(r), wake);
    afterCommit(managerOf(r), () => calls.push('other'));
    subscriber.afterTransactionCommit(event(r)); // RELEASE SAVEPOINT: still in the transaction
    expect(calls).toEqual([]);
    (r as { isTransactionActive: boolean }).isTransactionActive = false;
    subscriber.afterTransactionCommit(event(r));
    expect(calls).toEqual(['wake', 'other']);
    subscriber.afterTransactionCommit(event(r)); // the next transaction of the runner starts afresh
    expect(calls).toEqual(['wake', 'other']);
  });

  it('runs the others when one throws, and the commit stays a success', () => {
    const r = runner(1);
    const calls: string[] = [];
    afterCommit(managerOf(r), () => {
      throw new Error('a broken wake-up');
    });
    afterCommit(managerOf(r), () => calls.push('wake'));
    (r as { isTransactionActive: boolean }).isTransactionActive = false;
    expect(() => subscriber.afterTransactionCommit(event(r))).not.toThrow();
    expect(calls).toEqual(['wake']);
  });

  it('drops them when the transaction rolls back', () => {
    const r = runner(1);
    const calls: string[] = [];
    afterCommit(managerOf(r), () => calls.push('wake'));
    (r as { isTransactionActive: boolean }).isTransactionActive = false;
    subscriber.afterTransactionRollback(event(r));
    subscriber.afterTransactionCommit(event(r));
    expect(calls).toEqual([]);
  });
});
