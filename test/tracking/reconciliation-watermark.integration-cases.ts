import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { loadBundledCalendar } from '@credit/calendar';
import { createServiceDataSource, openServiceDatabase } from '@credit/persistence';
import {
  LIFTS_MISSING_SQL,
  RunReconciliationUseCase,
} from '../../apps/tracking/src/reconciliation/run-reconciliation.usecase';
import { DEFAULT_RECONCILIATION_OPTIONS } from '../../apps/tracking/src/reconciliation/reconciliation.options';
import { TRACKING_ENTITIES, TRACKING_MIGRATIONS } from '../../apps/tracking/src/tracking.module';
import { createTestDatabase } from '../support/infra';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HISTORY = 5_000;

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
};
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/**
 * Decision 0071 on PostgreSQL: reconciliation's "lifts missing" reads the entries ended since its last
 * pass (a watermark kept in `tracking.reconciliation_marks`, less a bounded look-back), never the
 * history: a lift missing is found once, a late end within the look-back still is, and a pass with no
 * new end reads no ended entry at all (its plan's row counts, not its time).
 */
describe('tracking: lifts missing found from a watermark on the end time', () => {
  let database: { url: string; drop(): Promise<void> };
  const sources: DataSource[] = [];
  const now = new Date();
  const at = (ms: number) => new Date(now.getTime() + ms);
  const oldGapAssignment = randomUUID();
  const recent = { entry: randomUUID(), open: randomUUID(), lifted: randomUUID() };
  const late = { entry: randomUUID(), open: randomUUID() };

  const open = async () => {
    const ds = createServiceDataSource({
      url: database.url,
      schema: 'tracking',
      entities: TRACKING_ENTITIES as never,
      migrations: TRACKING_MIGRATIONS as never,
      poolSize: 2,
    });
    sources.push(ds);
    return openServiceDatabase(ds);
  };
  const reconciliationOn = (ds: DataSource) =>
    new RunReconciliationUseCase(
      ds,
      { ...DEFAULT_RECONCILIATION_OPTIONS, liftGraceMs: 10 * MINUTE, liftLookbackMs: DAY },
      loadBundledCalendar(),
      pino({ level: 'silent' }),
    );
  const endEntry = (ds: DataSource, entryId: string, endedAt: Date) =>
    ds.query(
      `INSERT INTO tracking.entries (entry_id, owner_dept, list_type, published_at, ended_at, end_reason,
         fan_outs, declared, issued)
       VALUES ($1, 'COURT', 'COURT_DEFAULTER', $2, $3, 'repaired', 1, 2, 2)`,
      [entryId, new Date(endedAt.getTime() - 30 * DAY), endedAt],
    );
  const assignment = (ds: DataSource, id: string, entryId: string, liftedAt: Date | null) =>
    ds.query(
      `INSERT INTO tracking.follow_up_assignments (id, entry_id, dept, issued, lifted_at, lift_confirmed_at)
       VALUES ($1, $2, 'FINANCE', true, $3, $3)`,
      [id, entryId, liftedAt],
    );
  const openGaps = async (ds: DataSource) =>
    (
      (await ds.query(
        `SELECT assignment_id FROM tracking.reconciliation_gaps
         WHERE kind = 'lift_missing' AND cleared_at IS NULL ORDER BY assignment_id`,
      )) as { assignment_id: string }[]
    ).map((r) => r.assignment_id);
  const plan = async (ds: DataSource, sql: string, params: unknown[]): Promise<PlanNode[]> => {
    const [row] = (await ds.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)) as {
      'QUERY PLAN': { Plan: PlanNode }[];
    }[];
    return nodes(row['QUERY PLAN'][0].Plan).filter((n) => n['Relation Name'] === 'entries');
  };

  let db: DataSource;
  let reconciliation: RunReconciliationUseCase;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await open();
    reconciliation = reconciliationOn(db);
    // a history of ended entries, every assignment lifted and confirmed, 30 days to a year ago
    await db.query(
      `INSERT INTO tracking.entries (entry_id, owner_dept, list_type, published_at, ended_at, end_reason,
         fan_outs, declared, issued)
       SELECT md5('h' || n)::uuid, 'COURT', 'COURT_DEFAULTER', $1::timestamptz - interval '2 years',
         $1::timestamptz - (30 + n % 335) * interval '1 day', 'expired', 1, 3, 3
       FROM generate_series(1, ${HISTORY}) n`,
      [now],
    );
    await db.query(
      `INSERT INTO tracking.follow_up_assignments (id, entry_id, dept, issued, lifted_at, lift_confirmed_at)
       SELECT md5('a' || n || ':' || j)::uuid, md5('h' || n)::uuid, 'FINANCE', true, e.ended_at, e.ended_at
       FROM generate_series(1, ${HISTORY}) n, generate_series(1, 3) j,
         LATERAL (SELECT ended_at FROM tracking.entries WHERE entry_id = md5('h' || n)::uuid) e`,
    );
    // one old entry whose lift never came
    const oldEntry = randomUUID();
    await endEntry(db, oldEntry, at(-40 * DAY));
    await assignment(db, oldGapAssignment, oldEntry, null);
    await db.query('ANALYZE tracking.entries, tracking.follow_up_assignments');
  }, 60_000);

  afterAll(async () => {
    for (const ds of sources) if (ds.isInitialized) await ds.destroy();
    await database?.drop();
  });

  it('reads the whole history once, on its first pass, and keeps the mark', async () => {
    const first = await reconciliation.execute(at(-2 * DAY));
    expect(first.detected.lift_missing).toBe(1);
    expect(first.liftWindow).toMatchObject({ from: null, to: at(-2 * DAY - 10 * MINUTE), rows: 1 });
    expect(await openGaps(db)).toEqual([oldGapAssignment]);
    const [mark]: { up_to: Date }[] = await db.query(
      `SELECT up_to FROM tracking.reconciliation_marks WHERE kind = 'lift_missing'`,
    );
    expect(new Date(mark.up_to)).toEqual(at(-2 * DAY - 10 * MINUTE));
  });

  it('finds a lift missing once: the next passes read the new ends, not the old gap again', async () => {
    await endEntry(db, recent.entry, at(-HOUR));
    await assignment(db, recent.open, recent.entry, null);
    await assignment(db, recent.lifted, recent.entry, at(-30 * MINUTE));

    const pass = await reconciliation.execute(now);
    expect(pass.detected.lift_missing).toBe(1);
    // the old entry's assignment (its gap already open) is not among what the pass read
    expect(pass.liftWindow).toMatchObject({ from: at(-3 * DAY - 10 * MINUTE), rows: 1 });
    expect((await openGaps(db)).sort()).toEqual([oldGapAssignment, recent.open].sort());

    // an end that reached tracking late (ended before the mark, within the look-back) is still found;
    // the recent gap is read again (within the look-back) but not recorded twice
    await endEntry(db, late.entry, at(-2 * HOUR));
    await assignment(db, late.open, late.entry, null);
    const again = await reconciliation.execute(at(5 * MINUTE));
    expect(again.detected.lift_missing).toBe(1);
    expect(again.liftWindow?.rows).toBe(2);
    expect((await openGaps(db)).sort()).toEqual([oldGapAssignment, recent.open, late.open].sort());
    const recorded: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM tracking.reconciliation_gaps WHERE assignment_id = $1`,
      [recent.open],
    );
    expect(recorded[0].n).toBe(1);
  });

  it('a pass with no new end reads no ended entry, in another process after a restart', async () => {
    // days later the recent ends fall behind the look-back: a pass moves the mark past them
    await reconciliation.execute(at(3 * DAY));
    // a new process (another data source, another use case): the mark is durable, not held in memory
    const other = await open();
    const restarted = reconciliationOn(other);
    const quiet = await restarted.execute(at(3 * DAY + 5 * MINUTE));
    expect(quiet.detected.lift_missing).toBe(0);
    expect(quiet.liftWindow?.rows).toBe(0);
    expect(quiet.liftWindow?.from).toEqual(at(2 * DAY - 10 * MINUTE));

    // its query, run again as it ran: the entries it read are none, by the end-time index
    const read = await plan(other, LIFTS_MISSING_SQL, [quiet.liftWindow!.from, quiet.liftWindow!.to]);
    expect(read.length).toBeGreaterThan(0);
    for (const node of read) {
      expect(node['Node Type']).not.toBe('Seq Scan');
      expect(node['Index Name']).toBe('entries_ended');
      expect(node['Actual Rows']).toBe(0);
      expect(node['Rows Removed by Filter'] ?? 0).toBe(0);
    }
    // the open gaps stay open until their lifts arrive, then the clearing step (O(gaps)) clears them
    expect((await openGaps(other)).sort()).toEqual([oldGapAssignment, recent.open, late.open].sort());
    await other.query(`UPDATE tracking.follow_up_assignments SET lifted_at = $2 WHERE id = $1`, [
      recent.open,
      at(3 * DAY),
    ]);
    const cleared = await restarted.execute(at(3 * DAY + 10 * MINUTE));
    expect(cleared.cleared).toBe(1);
    expect(cleared.detected.lift_missing).toBe(0);
    expect((await openGaps(other)).sort()).toEqual([oldGapAssignment, late.open].sort());
  });
});
