import { MigrationInterface, QueryRunner } from 'typeorm';

/** 信用承诺 (issue 13): the commitment register, and an entry's link to the broken commitment it rests on. */
export class RegistryCommitments1767300000000 implements MigrationInterface {
  name = 'RegistryCommitments1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE registry.commitments (
      id uuid PRIMARY KEY,
      subject_kind text NOT NULL,
      subject_id text NOT NULL,
      subject_name text NOT NULL,
      matter text NOT NULL,
      text text NOT NULL,
      made_on date NOT NULL,
      entry_id uuid REFERENCES registry.list_entries (id),
      status text NOT NULL,
      recorded_at timestamptz NOT NULL,
      recorded_by text NOT NULL,
      recorded_by_dept text NOT NULL,
      recorded_by_role text NOT NULL,
      settled_at timestamptz,
      settled_by text,
      settled_by_dept text,
      settlement_note text,
      new_entry_id uuid REFERENCES registry.list_entries (id)
    )`);
    await q.query('CREATE INDEX commitments_subject ON registry.commitments (subject_id, recorded_at)');
    await q.query('CREATE INDEX commitments_dept ON registry.commitments (recorded_by_dept, recorded_at)');
    await q.query(
      'CREATE INDEX commitments_entry ON registry.commitments (entry_id) WHERE entry_id IS NOT NULL',
    );
    await q.query(`ALTER TABLE registry.list_entries
      ADD COLUMN basis_commitment_id uuid REFERENCES registry.commitments (id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE registry.list_entries DROP COLUMN basis_commitment_id');
    await q.query('DROP TABLE registry.commitments');
  }
}
