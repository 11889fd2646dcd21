import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access rules (issue 12, decision 0020): an entry's information class as its publication announced it
 * (class C reaches no other department's measure; assignments are read by who may read the entry), and
 * each department's region (a supervisor with a region claim reads its region's assignments only).
 */
export class TriggerAccess1766120000000 implements MigrationInterface {
  name = 'TriggerAccess1766120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trigger.entries ADD COLUMN info_class text`);
    await q.query(`CREATE TABLE trigger.department_regions (
      dept text PRIMARY KEY,
      region text NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE trigger.department_regions');
    await q.query('ALTER TABLE trigger.entries DROP COLUMN info_class');
  }
}
