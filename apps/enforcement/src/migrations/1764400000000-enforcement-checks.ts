import { MigrationInterface, QueryRunner } from 'typeorm';

/** The embedded check: lookup by target or legacy identifier, and the log of every check (issue 5). */
export class EnforcementChecks1764400000000 implements MigrationInterface {
  name = 'EnforcementChecks1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE enforcement.assignments ADD COLUMN subject_legacy_ids text[] NOT NULL DEFAULT '{}'`,
    );
    await q.query(`CREATE INDEX assignments_binding_target ON enforcement.assignments (target_id)
      WHERE status IN ('issued', 'acknowledged', 'enforced')`);
    await q.query(`CREATE INDEX assignments_binding_legacy ON enforcement.assignments USING gin (subject_legacy_ids)
      WHERE status IN ('issued', 'acknowledged', 'enforced')`);
    await q.query(`CREATE TABLE enforcement.checks (
      id uuid PRIMARY KEY,
      dept text NOT NULL,
      actor text NOT NULL,
      subject_id text NOT NULL,
      action text NOT NULL,
      stage text,
      decision text NOT NULL,
      reasons jsonb NOT NULL,
      checked_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX checks_dept_time ON enforcement.checks (dept, checked_at)`);
    await q.query(`CREATE TABLE enforcement.check_decisions (
      check_id uuid NOT NULL REFERENCES enforcement.checks (id),
      assignment_id uuid NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('applied', 'not_applied')),
      reason text,
      decided_by text NOT NULL,
      decided_at timestamptz NOT NULL,
      PRIMARY KEY (check_id, assignment_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE enforcement.check_decisions');
    await q.query('DROP TABLE enforcement.checks');
    await q.query('DROP INDEX enforcement.assignments_binding_legacy');
    await q.query('DROP INDEX enforcement.assignments_binding_target');
    await q.query('ALTER TABLE enforcement.assignments DROP COLUMN subject_legacy_ids');
  }
}
