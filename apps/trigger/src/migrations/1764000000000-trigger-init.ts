import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesDown, messagingTablesUp } from '@credit/messaging';

export class TriggerInit1764000000000 implements MigrationInterface {
  name = 'TriggerInit1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE trigger.memoranda (
      code text PRIMARY KEY,
      title text NOT NULL,
      document_no text NOT NULL,
      list_types text[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE trigger.measures (
      id uuid PRIMARY KEY,
      memorandum_code text NOT NULL REFERENCES trigger.memoranda (code),
      code text NOT NULL,
      version int NOT NULL CHECK (version > 0),
      text text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('punishment', 'incentive')),
      dept text NOT NULL,
      legal_basis text NOT NULL,
      list_types text[] NOT NULL,
      subject_kinds text[] NOT NULL,
      related_roles text[] NOT NULL DEFAULT '{}',
      actions text[] NOT NULL,
      mode text NOT NULL CHECK (mode IN ('block', 'warn', 'reference', 'priority')),
      feedback_working_days int NOT NULL CHECK (feedback_working_days >= 0),
      current boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (code, version)
    )`);
    await q.query(`CREATE UNIQUE INDEX measures_one_current ON trigger.measures (code) WHERE current`);
    await q.query(
      `CREATE INDEX measures_list_types ON trigger.measures USING gin (list_types) WHERE current`,
    );
    await q.query(`CREATE TABLE trigger.entries (
      entry_id uuid PRIMARY KEY,
      owner_dept text NOT NULL,
      list_type text NOT NULL,
      subject_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('published', 'ended'))
    )`);
    await q.query(`CREATE TABLE trigger.assignments (
      id uuid PRIMARY KEY,
      entry_id uuid NOT NULL,
      measure_id uuid NOT NULL REFERENCES trigger.measures (id),
      measure_code text NOT NULL,
      measure_version int NOT NULL,
      dept text NOT NULL,
      list_type text NOT NULL,
      subject_id text NOT NULL,
      target_id text NOT NULL,
      target_kind text NOT NULL,
      target_role text,
      status text NOT NULL,
      issued_at timestamptz NOT NULL,
      feedback_deadline timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      UNIQUE (entry_id, measure_id, target_id)
    )`);
    await q.query(`CREATE INDEX assignments_entry ON trigger.assignments (entry_id, issued_at, id)`);
    await q.query(`CREATE INDEX assignments_dept_status ON trigger.assignments (dept, status)`);
    for (const sql of messagingTablesUp('trigger')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesDown('trigger')) await q.query(sql);
    await q.query('DROP TABLE trigger.assignments');
    await q.query('DROP TABLE trigger.entries');
    await q.query('DROP TABLE trigger.measures');
    await q.query('DROP TABLE trigger.memoranda');
  }
}
