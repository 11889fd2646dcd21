import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision 0030: a repair application may be withdrawn; statements, objections and repair applications
 * left open when their entry ends are closed with it (`closed_entry_ended`); documents have versions (a
 * correction issues the next, the earlier is kept, superseded) and a statement answer names its statement.
 */
export class RegistryDueProcessClosures1768010000000 implements MigrationInterface {
  name = 'RegistryDueProcessClosures1768010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.repair_applications
      DROP CONSTRAINT repair_applications_status_check,
      ADD CONSTRAINT repair_applications_status_check CHECK (status IN
        ('submitted', 'material_requested', 'accepted', 'approved', 'rejected', 'withdrawn', 'closed_entry_ended')),
      ADD COLUMN closed_at timestamptz,
      ADD COLUMN closed_by text,
      ADD COLUMN close_reason text`);
    await q.query(`ALTER TABLE registry.objections
      DROP CONSTRAINT objections_status_check,
      ADD CONSTRAINT objections_status_check
        CHECK (status IN ('open', 'upheld', 'corrected', 'withdrawn', 'closed_entry_ended'))`);
    await q.query(`ALTER TABLE registry.statements ADD COLUMN closed_at timestamptz`);
    await q.query(`ALTER TABLE registry.documents
      ADD COLUMN statement_id uuid REFERENCES registry.statements (id),
      ADD COLUMN version int NOT NULL DEFAULT 1,
      ADD COLUMN supersedes uuid REFERENCES registry.documents (id),
      ADD COLUMN superseded_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.documents
      DROP COLUMN superseded_at, DROP COLUMN supersedes, DROP COLUMN version, DROP COLUMN statement_id`);
    await q.query(`ALTER TABLE registry.statements DROP COLUMN closed_at`);
    await q.query(`UPDATE registry.objections SET status = 'upheld' WHERE status = 'closed_entry_ended'`);
    await q.query(`ALTER TABLE registry.objections
      DROP CONSTRAINT objections_status_check,
      ADD CONSTRAINT objections_status_check CHECK (status IN ('open', 'upheld', 'corrected', 'withdrawn'))`);
    await q.query(`UPDATE registry.repair_applications SET status = 'rejected'
      WHERE status IN ('withdrawn', 'closed_entry_ended')`);
    await q.query(`ALTER TABLE registry.repair_applications
      DROP CONSTRAINT repair_applications_status_check,
      ADD CONSTRAINT repair_applications_status_check
        CHECK (status IN ('submitted', 'material_requested', 'accepted', 'approved', 'rejected')),
      DROP COLUMN close_reason, DROP COLUMN closed_by, DROP COLUMN closed_at`);
  }
}
