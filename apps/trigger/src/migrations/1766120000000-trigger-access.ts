import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access rules (issue 12, decision 0020): an entry's information class as its publication announced it
 * (class C reaches no other department's measure; assignments are read by who may read the entry).
 * Regions come from `known_departments` (decision 0019).
 */
export class TriggerAccess1766120000000 implements MigrationInterface {
  name = 'TriggerAccess1766120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trigger.entries ADD COLUMN info_class text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE trigger.entries DROP COLUMN info_class');
  }
}
