import { Client } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import {
  AssignmentIssuedV1,
  AssignmentLiftedV1,
  CloudEvent,
  EventTypes,
  ListEntryEndedV1,
} from '@credit/contracts';
import { createCloudEvent, HandlerContext, IncomingRecord, ServiceMessaging } from '@credit/messaging';
import { ActiveMeasures } from '../../apps/enforcement/src/checks/active-measures';
import { tablePartitionOf } from '../../apps/enforcement/src/checks/active-measures/table-partitions';
import { EntryEndsHandlers } from '../../apps/enforcement/src/checks/entry-ends.handlers';
import { AssignmentEventsHandlers } from '../../apps/enforcement/src/inbox/assignment-events.handlers';
import { openEnforcementDatabase } from '../support/enforcement-database';
import { waitFor } from '../support/infra';

/**
 * An entry's end and its lifts meet on the same rows at about the same moment (decision 0063: the end
 * comes straight from registry, the lifts two hops later through trigger). Both now lock the entry's rows
 * in id order. Before, the end's UPDATE locked them partition by partition while the lifts came in
 * trigger's order: a lift holding a row of the later partition and waiting for one of the earlier was a
 * deadlock, PostgreSQL's deadlock_timeout (1 s) and a retry — about one in every test run's log.
 */
describe('an entry’s end and its lifts lock the rows in one order', () => {
  let database: Awaited<ReturnType<typeof openEnforcementDatabase>>;
  let observer: Client;
  const inbox = new AssignmentEventsHandlers({} as ServiceMessaging, {} as ActiveMeasures);
  const ends = new EntryEndsHandlers(
    {} as ServiceMessaging,
    {
      dropEnded: () => undefined,
    } as unknown as ActiveMeasures,
  );

  beforeAll(async () => {
    database = await openEnforcementDatabase('pg');
    observer = new Client({ connectionString: database.url });
    await observer.connect();
  });

  afterAll(async () => {
    await observer?.end();
    await database?.close();
  });

  const subject = { kind: 'legal_person' as const, id: '91330106MA2H7QK4XQ', name: '杭州某某科技有限公司' };

  /** Two targets in different table partitions: `first` is the one a scan of the entry reaches first. */
  function twoTargets(): { first: string; second: string } {
    const byPartition = new Map<number, string>();
    for (let i = 0; byPartition.size < 2; i++) {
      const target = `91330106MA2H7QK${String(i).padStart(3, '0')}`;
      if (!byPartition.has(tablePartitionOf(target))) byPartition.set(tablePartitionOf(target), target);
    }
    const [a, b] = [...byPartition.entries()].sort(([p], [q]) => p - q);
    return { first: a[1], second: b[1] };
  }

  type Row = { id: string; target: string; dept: string };

  function event<T>(type: string, entryId: string, data: T): CloudEvent<T> {
    return createCloudEvent({ type, source: 'test', subject: entryId, data });
  }

  /** What an event names of its assignment. */
  const refOf = (entryId: string, a: Row) => ({
    assignmentId: a.id,
    entryId,
    dept: a.dept,
    target: { id: a.target, kind: 'legal_person' as const },
  });

  function issued(entryId: string, a: Row): CloudEvent<AssignmentIssuedV1> {
    const at = new Date().toISOString();
    return event(EventTypes.assignmentIssued, entryId, {
      ...refOf(entryId, a),
      measure: {
        code: 'BID_BAN',
        version: 1,
        memorandumCode: 'MOU-2016-COURT',
        text: '限制参与政府采购',
        kind: 'punishment',
        mode: 'block',
        actions: ['government_procurement_bid'],
        legalBasis: '发改财金〔2016〕141号',
        feedbackWorkingDays: 10,
      },
      listType: { code: 'COURT_DEFAULTER', colour: 'black' },
      subject,
      period: { from: at, to: new Date(Date.now() + 86_400_000).toISOString() },
      issuedAt: at,
      feedbackDeadline: at,
    });
  }

  function lifted(entryId: string, a: Row): CloudEvent<AssignmentLiftedV1> {
    return event(EventTypes.assignmentLifted, entryId, {
      ...refOf(entryId, a),
      reason: 'entry_ended',
      liftedAt: new Date().toISOString(),
    });
  }

  async function begin(db: DataSource): Promise<QueryRunner> {
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    return runner;
  }

  it('a lift holding one row while the end waits for it ends without a deadlock', async () => {
    const entryId = '0b7c3a2e-5d1f-4c8e-9a6b-1f2e3d4c5b6a';
    const { first, second } = twoTargets();
    // the row the end's scan reaches second has the smaller id: trigger lifts it first
    const early = { id: '00000000-0000-4000-8000-000000000001', target: second, dept: 'FINANCE' };
    const late = { id: '00000000-0000-4000-8000-000000000002', target: first, dept: 'NDRC' };
    await database.db.transaction(async (manager) => {
      for (const a of [early, late]) await inbox.onIssued(issued(entryId, a), manager);
    });

    const lifts = await begin(database.db);
    const end = await begin(database.db);
    try {
      await inbox.onLifted(lifted(entryId, early), lifts.manager);
      const ended: CloudEvent<ListEntryEndedV1> = event(EventTypes.listEntryEnded, entryId, {
        entryId,
        listType: { code: 'COURT_DEFAULTER', colour: 'black' },
        ownerDept: 'COURT',
        subject,
        reason: 'repaired',
        endedAt: new Date().toISOString(),
      });
      const context: HandlerContext = {
        manager: end.manager,
        record: {} as IncomingRecord,
        onCommitted: () => undefined,
      };
      const ending = ends.onEnded(ended, context).then(() => end.commitTransaction());
      // the end waits for the row the lift holds
      await waitFor(
        async () =>
          (
            await observer.query(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            )
          ).rowCount! > 0 || undefined,
        { timeoutMs: 10_000, message: 'the end waiting for the lifted row' },
      );
      // the lift's next row: with the end holding it (locked by partition), this was the deadlock
      await inbox.onLifted(lifted(entryId, late), lifts.manager);
      await lifts.commitTransaction();
      await ending;
    } finally {
      for (const runner of [lifts, end]) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }
    const rows: { id: string; status: string; ended: boolean }[] = await database.db.query(
      `SELECT id, status, entry_ended_at IS NOT NULL AS ended FROM enforcement.assignments
       WHERE entry_id = $1 ORDER BY id`,
      [entryId],
    );
    expect(rows).toEqual([
      { id: early.id, status: 'lifted', ended: true },
      { id: late.id, status: 'lifted', ended: true },
    ]);
  });
});
