import { MigrationInterface, QueryRunner } from 'typeorm';

/** Subjects, objections, repairs, corrections, the overlap rule and list-type policy fields (issue 3). */
export class RegistryLifecycle1764100000000 implements MigrationInterface {
  name = 'RegistryLifecycle1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.list_types
      ADD COLUMN objection_working_days int NOT NULL DEFAULT 5 CHECK (objection_working_days BETWEEN 1 AND 20),
      ADD COLUMN criteria text,
      ADD COLUMN exit_conditions text`);
    await q.query(`ALTER TABLE registry.list_entries
      ADD COLUMN subject_legacy_ids text[] NOT NULL DEFAULT '{}',
      ADD COLUMN notice_channel text,
      ADD COLUMN notice_note text,
      ADD COLUMN objection_open boolean NOT NULL DEFAULT false`);
    // one subject, one list type, no two overlapping periods in force — also under concurrent publishes
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`ALTER TABLE registry.list_entries ADD CONSTRAINT list_entries_no_overlap
      EXCLUDE USING gist (subject_id WITH =, list_type WITH =, tstzrange(period_from, period_to) WITH &&)
      WHERE (status = 'published')`);
    await q.query(
      `CREATE INDEX list_entries_due ON registry.list_entries (period_to) WHERE status = 'published'`,
    );

    await q.query(`CREATE TABLE registry.subjects (
      id uuid PRIMARY KEY,
      kind text NOT NULL,
      identifier text NOT NULL UNIQUE,
      name text NOT NULL,
      legacy_ids text[] NOT NULL DEFAULT '{}',
      flags text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX subjects_legacy_ids ON registry.subjects USING gin (legacy_ids)`);
    await q.query(`CREATE TABLE registry.subject_name_history (
      id bigserial PRIMARY KEY,
      subject_id uuid NOT NULL REFERENCES registry.subjects (id),
      name text NOT NULL,
      replaced_at timestamptz NOT NULL,
      source_entry_id uuid
    )`);
    await q.query(`CREATE TABLE registry.identifier_allow_list (
      code text PRIMARY KEY,
      note text NOT NULL,
      added_by text NOT NULL,
      added_at timestamptz NOT NULL DEFAULT now()
    )`);

    await q.query(`CREATE TABLE registry.objections (
      id uuid PRIMARY KEY,
      entry_id uuid NOT NULL REFERENCES registry.list_entries (id),
      owner_dept text NOT NULL,
      reason text NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'upheld', 'corrected', 'withdrawn')),
      opened_at timestamptz NOT NULL,
      opened_by text NOT NULL,
      deadline timestamptz NOT NULL,
      resolved_at timestamptz,
      resolved_by text,
      resolution_note text
    )`);
    await q.query(
      `CREATE UNIQUE INDEX objections_one_open ON registry.objections (entry_id) WHERE status = 'open'`,
    );
    await q.query(
      `CREATE INDEX objections_dept_deadline ON registry.objections (owner_dept, deadline) WHERE status = 'open'`,
    );
    await q.query(`CREATE TABLE registry.entry_amendments (
      id bigserial PRIMARY KEY,
      entry_id uuid NOT NULL REFERENCES registry.list_entries (id),
      objection_id uuid REFERENCES registry.objections (id),
      changed text[] NOT NULL,
      before jsonb NOT NULL,
      after jsonb NOT NULL,
      reason text NOT NULL,
      amended_at timestamptz NOT NULL,
      amended_by text NOT NULL
    )`);
    await q.query(`CREATE TABLE registry.repair_applications (
      id uuid PRIMARY KEY,
      entry_id uuid NOT NULL REFERENCES registry.list_entries (id),
      owner_dept text NOT NULL,
      statement text NOT NULL,
      evidence text[] NOT NULL DEFAULT '{}',
      status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
      submitted_at timestamptz NOT NULL,
      submitted_by text NOT NULL,
      decided_at timestamptz,
      decided_by text,
      decision_note text
    )`);
    await q.query(
      `CREATE UNIQUE INDEX repair_applications_one_pending ON registry.repair_applications (entry_id) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE registry.repair_applications');
    await q.query('DROP TABLE registry.entry_amendments');
    await q.query('DROP TABLE registry.objections');
    await q.query('DROP TABLE registry.identifier_allow_list');
    await q.query('DROP TABLE registry.subject_name_history');
    await q.query('DROP TABLE registry.subjects');
    await q.query('DROP INDEX registry.list_entries_due');
    await q.query('ALTER TABLE registry.list_entries DROP CONSTRAINT list_entries_no_overlap');
    await q.query(`ALTER TABLE registry.list_entries DROP COLUMN subject_legacy_ids, DROP COLUMN notice_channel,
      DROP COLUMN notice_note, DROP COLUMN objection_open`);
    await q.query(`ALTER TABLE registry.list_types DROP COLUMN objection_working_days, DROP COLUMN criteria,
      DROP COLUMN exit_conditions`);
  }
}
