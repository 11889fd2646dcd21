import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access rules (issue 12, decision 0020): the subjects an admin allowed a department to watch without a
 * measure on them. (Regions come from `known_departments`, decision 0019.)
 */
export class EnforcementAccess1766120000000 implements MigrationInterface {
  name = 'EnforcementAccess1766120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE enforcement.watch_grants (
      dept text NOT NULL,
      subject_id text NOT NULL,
      granted_by text NOT NULL,
      granted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (dept, subject_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE enforcement.watch_grants');
  }
}
