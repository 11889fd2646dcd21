import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 信用修复 as the rules set it (issue 13, decision 0025): the applicant's commitment and checklist,
 * acceptance and decision deadlines, material requests. A pending application of the former flow becomes
 * `submitted`, due for acceptance two days after it was made (the working-day calendar is not in SQL).
 */
export class RegistryRepairProcess1767200000000 implements MigrationInterface {
  name = 'RegistryRepairProcess1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX registry.repair_applications_one_pending');
    await q.query(`ALTER TABLE registry.repair_applications
      DROP CONSTRAINT repair_applications_status_check,
      ADD COLUMN list_type text,
      ADD COLUMN subject_id text,
      ADD COLUMN commitment_text text,
      ADD COLUMN conditions jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN filed_by_role text NOT NULL DEFAULT 'initiator',
      ADD COLUMN filed_by_dept text,
      ADD COLUMN accept_deadline timestamptz,
      ADD COLUMN accept_days_left int,
      ADD COLUMN material_requests jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN accepted_at timestamptz,
      ADD COLUMN accepted_by text,
      ADD COLUMN decide_deadline timestamptz,
      ADD COLUMN version int NOT NULL DEFAULT 1`);
    await q.query(`UPDATE registry.repair_applications r SET
        list_type = e.list_type, subject_id = e.subject_id, filed_by_dept = r.owner_dept,
        conditions = CASE WHEN cardinality(r.evidence) = 0 THEN '[]'::jsonb ELSE jsonb_build_array(
          jsonb_build_object('code', 'evidence', 'text', '修复材料', 'met', true,
            'evidence', array_to_string(r.evidence, '; '))) END,
        status = CASE r.status WHEN 'pending' THEN 'submitted' ELSE r.status END,
        accept_deadline = CASE r.status WHEN 'pending' THEN r.submitted_at + interval '2 days' END
      FROM registry.list_entries e WHERE e.id = r.entry_id`);
    await q.query(`ALTER TABLE registry.repair_applications
      ALTER COLUMN list_type SET NOT NULL,
      ALTER COLUMN subject_id SET NOT NULL,
      DROP COLUMN evidence,
      ADD CONSTRAINT repair_applications_status_check
        CHECK (status IN ('submitted', 'material_requested', 'accepted', 'approved', 'rejected')),
      ADD CONSTRAINT repair_applications_filed_by_role_check
        CHECK (filed_by_role IN ('subject', 'credit_office', 'initiator'))`);
    await q.query('ALTER TABLE registry.repair_applications RENAME COLUMN decision_note TO decision_reason');
    await q.query(`CREATE UNIQUE INDEX repair_applications_one_open ON registry.repair_applications (entry_id)
      WHERE status IN ('submitted', 'material_requested', 'accepted')`);
    await q.query('CREATE INDEX repair_applications_subject ON registry.repair_applications (subject_id)');
    await q.query(`CREATE INDEX repair_applications_due ON registry.repair_applications (owner_dept)
      WHERE status IN ('submitted', 'accepted')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX registry.repair_applications_due');
    await q.query('DROP INDEX registry.repair_applications_subject');
    await q.query('DROP INDEX registry.repair_applications_one_open');
    await q.query('ALTER TABLE registry.repair_applications RENAME COLUMN decision_reason TO decision_note');
    await q.query(`ALTER TABLE registry.repair_applications
      DROP CONSTRAINT repair_applications_status_check,
      DROP CONSTRAINT repair_applications_filed_by_role_check,
      ADD COLUMN evidence text[] NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE registry.repair_applications SET status = 'pending'
      WHERE status IN ('submitted', 'material_requested', 'accepted')`);
    await q.query(`ALTER TABLE registry.repair_applications
      DROP COLUMN list_type, DROP COLUMN subject_id, DROP COLUMN commitment_text, DROP COLUMN conditions,
      DROP COLUMN filed_by_role, DROP COLUMN filed_by_dept, DROP COLUMN accept_deadline,
      DROP COLUMN accept_days_left, DROP COLUMN material_requests, DROP COLUMN accepted_at,
      DROP COLUMN accepted_by, DROP COLUMN decide_deadline, DROP COLUMN version,
      ADD CONSTRAINT repair_applications_status_check CHECK (status IN ('pending', 'approved', 'rejected'))`);
    await q.query(`CREATE UNIQUE INDEX repair_applications_one_pending ON registry.repair_applications (entry_id)
      WHERE status = 'pending'`);
  }
}
