import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CheckLog, checkLogIsolated, CheckRecord } from '../../apps/enforcement/src/checks/check-log';
import { Outbox, ServiceMessaging } from '@credit/messaging';
import { ENFORCEMENT_ENGINES, openEnforcementDatabase } from '../support/enforcement-database';
import { testLogger } from '../support/infra';

const check = (subjectId: string, over: Partial<CheckRecord> = {}): CheckRecord => ({
  id: randomUUID(),
  dept: 'FINANCE',
  actor: 'clerk',
  subjectId,
  action: 'government_procurement_bid',
  decision: 'block',
  reasons: [{ measure: '限制参加政府采购活动' }],
  binding: [
    {
      entryId: randomUUID(),
      assignmentId: randomUUID(),
      subjectId,
      measureCode: 'BAN',
      dept: 'FINANCE',
      mode: 'block',
    } as unknown as CheckRecord['binding'][number],
  ],
  at: new Date(),
  ...over,
});

const isolated = async (outcome: string) =>
  (await checkLogIsolated.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

/**
 * The check log's buffered writer isolates a record the database refuses (here: a NUL, a lone surrogate,
 * a duplicate id) instead of failing the whole batch on every retry for ever — on PostgreSQL (COPY) and
 * on the embedded PGlite (COPY from a blob) alike.
 */
describe.each(ENFORCEMENT_ENGINES)(
  'the check log writer with a poisoned record among good ones, %s',
  (_name, kind) => {
    let db: DataSource;
    let log: CheckLog;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const opened = await openEnforcementDatabase(kind);
      db = opened.db;
      cleanup = opened.close;
      const messaging = {
        outbox: new Outbox('enforcement'),
        relay: { wake: () => undefined, registerRecipe: () => undefined },
      };
      log = new CheckLog(db, messaging as unknown as ServiceMessaging, testLogger('silent'));
    }, 120_000);

    afterAll(async () => {
      await cleanup?.();
    });

    it('stores the good records and their hits, and the bad ones escaped; the next flush goes on', async () => {
      const escapedBefore = await isolated('escaped');
      const good = ['91330106MA2H7QK4XQ', '91330106MA2H7QK4X1', '91330106MA2H7QK4X2'].map((id) => check(id));
      const nul = check('9133\u0000X');
      const surrogate = check('91330106MA2H7QK4X3', { reasons: [{ measure: 'a\ud800b' }] });
      for (const c of [good[0], nul, good[1], surrogate, good[2]]) log.record(c);
      await log.flush();

      const rows: { id: string; subject_id: string; reasons: unknown }[] = await db.query(
        `SELECT id, subject_id, reasons FROM enforcement.checks`,
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const c of good) expect(byId.get(c.id)?.subject_id).toBe(c.subjectId);
      expect(byId.get(nul.id)?.subject_id).toBe('9133\\u0000X');
      expect(byId.get(surrogate.id)?.reasons).toEqual([{ measure: 'a\\ud800b' }]);
      expect(await isolated('escaped')).toBe(escapedBefore + 2);
      // every check's hit event is in the outbox, the good ones as they were
      // (a flush's hits are one recipe row holding each event's text: decision 0057)
      const hits: { check_id: string; subject_id: string }[] = await db.query(
        `SELECT e->'data'->>'checkId' AS check_id, e->'data'->>'subjectId' AS subject_id
         FROM enforcement.message_outbox,
              LATERAL json_array_elements(recipe->'data') AS r(pair),
              LATERAL (SELECT (pair->>1)::json AS e) x`,
      );
      expect(hits.map((h) => h.check_id).sort()).toEqual([...good, nul, surrogate].map((c) => c.id).sort());
      expect(hits.find((h) => h.check_id === good[1].id)?.subject_id).toBe(good[1].subjectId);

      // nothing left behind: the next check is stored at the next flush
      const next = check('91330106MA2H7QK4X4');
      log.record(next);
      await log.flush();
      const [stored] = await db.query(`SELECT count(*)::int AS n FROM enforcement.checks WHERE id = $1`, [
        next.id,
      ]);
      expect(stored.n).toBe(1);
    });

    it('parks a record the database refuses even escaped (a duplicate id), storing the rest', async () => {
      const parkedBefore = await isolated('parked');
      const first = check('91330106MA2H7QK4X5');
      log.record(first);
      await log.flush();
      // the same check again (a replay): the key of the partitioned log is the id with the time
      // (decision 0056), so a duplicate is the same id at the same moment
      const duplicate = check('91330106MA2H7QK4X6', { id: first.id, at: first.at });
      const after = check('91330106MA2H7QK4X7');
      log.record(duplicate);
      log.record(after);
      await log.flush();

      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM enforcement.checks WHERE id = $1`, [
        after.id,
      ]);
      expect(n).toBe(1);
      expect(await isolated('parked')).toBe(parkedBefore + 1);
    });
  },
);
