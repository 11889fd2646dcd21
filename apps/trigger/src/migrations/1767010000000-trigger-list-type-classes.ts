import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The information class of each list type as the registry announces it, and re-screening jobs that follow
 * a class the trigger learns (decision 0023). Entries whose class was never announced keep `info_class`
 * null and count as class C (fail closed) until it is.
 */
export class TriggerListTypeClasses1767010000000 implements MigrationInterface {
  name = 'TriggerListTypeClasses1767010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trigger.list_types (
        code text PRIMARY KEY,
        owner_dept text NOT NULL,
        info_class text NOT NULL CHECK (info_class IN ('A', 'B', 'C')),
        announced_at timestamptz NOT NULL
      )`);
    await q.query(`ALTER TABLE trigger.rescreen_jobs ADD COLUMN list_type text`);
    await q.query(`ALTER TABLE trigger.rescreen_jobs DROP CONSTRAINT IF EXISTS rescreen_jobs_kind_check`);
    await q.query(
      `ALTER TABLE trigger.rescreen_jobs ADD CONSTRAINT rescreen_jobs_kind_check
         CHECK (kind IN ('issue', 'lift', 'reclassify'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM trigger.rescreen_jobs WHERE kind = 'reclassify'`);
    await q.query(`ALTER TABLE trigger.rescreen_jobs DROP CONSTRAINT rescreen_jobs_kind_check`);
    await q.query(
      `ALTER TABLE trigger.rescreen_jobs ADD CONSTRAINT rescreen_jobs_kind_check CHECK (kind IN ('issue', 'lift'))`,
    );
    await q.query(`ALTER TABLE trigger.rescreen_jobs DROP COLUMN list_type`);
    await q.query(`DROP TABLE trigger.list_types`);
  }
}
