import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ENFORCEMENT_MIGRATIONS } from '../../apps/enforcement/src/enforcement.module';
import { EnforcementCheckSubjectsByDay1769680000000 } from '../../apps/enforcement/src/migrations/1769680000000-enforcement-check-subjects-by-day';
import { openEnforcementAt } from '../support/enforcement-database';
import { createTestDatabase } from '../support/infra';

/**
 * Decision 0081 on a database of the previous version: the hourly per-subject rollup goes, the day rollup
 * keeps each subject-day's first check from then on (unknown for the days rolled up before), an
 * anonymised subject's first check moves with it; and back, the hourly rollup made again from the log.
 */
describe('the migration that reads the summary’s subjects by day (decision 0081)', () => {
  it('drops the hourly rollup, keeps first checks from then on, moves them with a pseudonym, and undoes', async () => {
    const database = await createTestDatabase();
    const at = ENFORCEMENT_MIGRATIONS.indexOf(EnforcementCheckSubjectsByDay1769680000000);
    const check = (db: DataSource, subject: string, when: Date) =>
      db.query(
        `INSERT INTO enforcement.checks (id, dept, actor, subject_id, action, stage, decision, reasons,
           checked_at)
         VALUES ($1, 'TAX', 'clerk', $2, 'licence', NULL, 'allow', '[]', $3)`,
        [randomUUID(), subject, when],
      );
    const days = (db: DataSource) =>
      db.query<{ subject_id: string; checks: number; first: Date | null; last: Date }[]>(
        `SELECT subject_id, checks::int, first_checked_at AS first, last_checked_at AS last
         FROM enforcement.check_subject_days ORDER BY subject_id`,
      );
    const exists = async (db: DataSource, table: string) =>
      (await db.query<{ x: boolean }[]>(`SELECT to_regclass($1) IS NOT NULL AS x`, [table]))[0].x;
    // two instants of one Beijing day (00:00 Beijing is 16:00 UTC), before now
    const midnight = (t: number) => Math.floor((t + 8 * 3_600_000) / 86_400_000) * 86_400_000 - 8 * 3_600_000;
    let lateMs = Date.now() - 1_000;
    if (lateMs - 30_000 < midnight(lateMs)) lateMs = midnight(lateMs) - 1_000;
    const [early, late] = [new Date(lateMs - 30_000), new Date(lateMs)];
    try {
      const old = await openEnforcementAt(database.url, ENFORCEMENT_MIGRATIONS.slice(0, at));
      await check(old, 'S1', early);
      await old.destroy();

      const db = await openEnforcementAt(database.url, ENFORCEMENT_MIGRATIONS.slice(0, at + 1));
      try {
        expect(await exists(db, 'enforcement.check_subjects')).toBe(false);
        expect(await days(db)).toEqual([{ subject_id: 'S1', checks: 1, first: null, last: early }]);
        await check(db, 'S1', late); // a day rolled up before: its first check stays unknown
        await check(db, 'S2', late);
        await check(db, 'S2', early);
        expect(await days(db)).toEqual([
          { subject_id: 'S1', checks: 2, first: null, last: late },
          { subject_id: 'S2', checks: 2, first: early, last: late },
        ]);
        await db.query(`UPDATE enforcement.checks SET subject_id = 'ANON-2' WHERE subject_id = 'S2'`);
        expect(await days(db)).toEqual([
          { subject_id: 'ANON-2', checks: 2, first: early, last: late },
          { subject_id: 'S1', checks: 2, first: null, last: late },
        ]);

        await db.undoLastMigration();
        const hourly = await db.query<{ subject_id: string; checks: number }[]>(
          `SELECT subject_id, sum(checks)::int AS checks FROM enforcement.check_subjects GROUP BY 1 ORDER BY 1`,
        );
        expect(hourly).toEqual([
          { subject_id: 'ANON-2', checks: 2 },
          { subject_id: 'S1', checks: 2 },
        ]);
        await check(db, 'S3', late); // both rollups kept again
        const [{ n }] = await db.query<{ n: number }[]>(
          `SELECT (SELECT count(*) FROM enforcement.check_subjects WHERE subject_id = 'S3')
             + (SELECT count(*) FROM enforcement.check_subject_days WHERE subject_id = 'S3') AS n`,
        );
        expect(Number(n)).toBe(2);
        const [{ first }] = await db.query<{ first: boolean }[]>(
          `SELECT count(*) > 0 AS first FROM information_schema.columns
           WHERE table_schema = 'enforcement' AND table_name = 'check_subject_days' AND column_name = 'first_checked_at'`,
        );
        expect(first).toBe(false);
      } finally {
        await db.destroy();
      }
    } finally {
      await database.drop();
    }
  });
});
