import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesDown, messagingTablesUp } from '@credit/messaging';

export class EnforcementInit1764000000000 implements MigrationInterface {
  name = 'EnforcementInit1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE enforcement.assignments (
      id uuid PRIMARY KEY,
      entry_id uuid NOT NULL,
      dept text NOT NULL,
      measure jsonb NOT NULL,
      list_type text NOT NULL,
      list_colour text NOT NULL,
      subject_id text NOT NULL,
      subject_kind text NOT NULL,
      subject_name text NOT NULL,
      target_id text NOT NULL,
      target_kind text NOT NULL,
      target_role text,
      target_name text,
      period_from timestamptz NOT NULL,
      period_to timestamptz NOT NULL,
      status text NOT NULL,
      issued_at timestamptz NOT NULL,
      feedback_deadline timestamptz NOT NULL,
      acknowledged_at timestamptz,
      lifted_at timestamptz,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX assignments_inbox ON enforcement.assignments (dept, issued_at, id)`);
    await q.query(`CREATE INDEX assignments_target ON enforcement.assignments (target_id)`);
    for (const sql of messagingTablesUp('enforcement')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesDown('enforcement')) await q.query(sql);
    await q.query('DROP TABLE enforcement.assignments');
  }
}
