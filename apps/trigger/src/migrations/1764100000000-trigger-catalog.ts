import { MigrationInterface, QueryRunner } from 'typeorm';

/** Subscriptions, suspension, re-issue generations, measure versions/retirement, re-screening jobs (issue 4). */
export class TriggerCatalog1764100000000 implements MigrationInterface {
  name = 'TriggerCatalog1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trigger.memoranda
      ADD COLUMN signatories text[] NOT NULL DEFAULT '{}',
      ADD COLUMN effective_from date,
      ADD COLUMN effective_to date`);
    await q.query(`ALTER TABLE trigger.measures ADD COLUMN retired_at timestamptz`);
    // what trigger keeps of an entry in force: enough to fan it out again when the catalog changes
    await q.query(`ALTER TABLE trigger.entries
      ADD COLUMN list_colour text NOT NULL DEFAULT 'black',
      ADD COLUMN subject_kind text NOT NULL DEFAULT 'legal_person',
      ADD COLUMN subject_name text NOT NULL DEFAULT '',
      ADD COLUMN related_persons jsonb NOT NULL DEFAULT '[]'::jsonb,
      ADD COLUMN period_from timestamptz,
      ADD COLUMN period_to timestamptz,
      ADD COLUMN generation int NOT NULL DEFAULT 0,
      ADD COLUMN suspended boolean NOT NULL DEFAULT false`);
    await q.query(
      `CREATE INDEX entries_in_force ON trigger.entries (list_type, entry_id) WHERE status = 'published'`,
    );
    await q.query(`ALTER TABLE trigger.assignments
      ADD COLUMN generation int NOT NULL DEFAULT 0,
      ADD COLUMN suspended_from text,
      ADD COLUMN subscribed boolean NOT NULL DEFAULT false,
      ADD COLUMN channel text NOT NULL DEFAULT 'pull',
      ADD COLUMN period_from timestamptz,
      ADD COLUMN period_to timestamptz`);
    await q.query(
      `ALTER TABLE trigger.assignments DROP CONSTRAINT assignments_entry_id_measure_id_target_id_key`,
    );
    await q.query(`ALTER TABLE trigger.assignments
      ADD CONSTRAINT assignments_one_per_generation UNIQUE (entry_id, measure_id, target_id, generation)`);
    await q.query(`CREATE INDEX assignments_measure_active ON trigger.assignments (measure_id)
      WHERE status IN ('issued', 'acknowledged', 'enforced', 'suspended')`);
    await q.query(`CREATE TABLE trigger.subscriptions (
      dept text NOT NULL,
      measure_code text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('pull', 'webhook', 'stream')),
      webhook_url text,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (dept, measure_code)
    )`);
    await q.query(`CREATE TABLE trigger.rescreen_jobs (
      id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('issue', 'lift')),
      measure_ids uuid[] NOT NULL,
      reason text NOT NULL,
      status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
      cursor uuid,
      total int NOT NULL DEFAULT 0,
      processed int NOT NULL DEFAULT 0,
      issued int NOT NULL DEFAULT 0,
      lifted int NOT NULL DEFAULT 0,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      error text
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE trigger.rescreen_jobs');
    await q.query('DROP TABLE trigger.subscriptions');
    await q.query('DROP INDEX trigger.assignments_measure_active');
    await q.query('ALTER TABLE trigger.assignments DROP CONSTRAINT assignments_one_per_generation');
    await q.query(`ALTER TABLE trigger.assignments ADD UNIQUE (entry_id, measure_id, target_id)`);
    await q.query(`ALTER TABLE trigger.assignments DROP COLUMN generation, DROP COLUMN suspended_from,
      DROP COLUMN subscribed, DROP COLUMN channel, DROP COLUMN period_from, DROP COLUMN period_to`);
    await q.query('DROP INDEX trigger.entries_in_force');
    await q.query(`ALTER TABLE trigger.entries DROP COLUMN list_colour, DROP COLUMN subject_kind,
      DROP COLUMN subject_name, DROP COLUMN related_persons, DROP COLUMN period_from, DROP COLUMN period_to,
      DROP COLUMN generation, DROP COLUMN suspended`);
    await q.query('ALTER TABLE trigger.measures DROP COLUMN retired_at');
    await q.query(`ALTER TABLE trigger.memoranda DROP COLUMN signatories, DROP COLUMN effective_from,
      DROP COLUMN effective_to`);
  }
}
