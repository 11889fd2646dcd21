import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The subject's due process as tracking follows it (issue 13): notices, statements, objections, repair
 * applications, documents served and the commitment register — per owning department, for statistics,
 * overdue repairs and the assessment. No personal identifiers: the figures need none.
 */
export class TrackingDueProcess1767300000000 implements MigrationInterface {
  name = 'TrackingDueProcess1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tracking.notices (
      entry_id uuid PRIMARY KEY,
      owner_dept text NOT NULL,
      list_type text NOT NULL,
      noticed_at timestamptz NOT NULL,
      statement_deadline timestamptz NOT NULL
    )`);
    await q.query('CREATE INDEX notices_dept ON tracking.notices (owner_dept, noticed_at)');
    await q.query(`CREATE TABLE tracking.statements (
      statement_id uuid PRIMARY KEY,
      entry_id uuid NOT NULL,
      owner_dept text NOT NULL,
      list_type text NOT NULL,
      filed_by_role text,
      received_at timestamptz NOT NULL,
      answered_at timestamptz,
      accepted boolean
    )`);
    await q.query('CREATE INDEX statements_dept ON tracking.statements (owner_dept, received_at)');
    await q.query(`CREATE TABLE tracking.objections (
      objection_id uuid PRIMARY KEY,
      entry_id uuid NOT NULL,
      owner_dept text NOT NULL,
      list_type text NOT NULL,
      opened_at timestamptz,
      deadline timestamptz,
      resolved_at timestamptz,
      outcome text
    )`);
    await q.query('CREATE INDEX objections_dept ON tracking.objections (owner_dept, opened_at)');
    await q.query(`CREATE TABLE tracking.repair_applications (
      application_id uuid PRIMARY KEY,
      entry_id uuid NOT NULL,
      owner_dept text NOT NULL,
      list_type text NOT NULL,
      filed_by_role text,
      submitted_at timestamptz,
      status text NOT NULL,
      accept_deadline timestamptz,
      material_requests int NOT NULL DEFAULT 0,
      material_requested_at timestamptz,
      accepted_at timestamptz,
      accepted_on_time boolean,
      decide_deadline timestamptz,
      decided_at timestamptz,
      decided_on_time boolean,
      outcome text
    )`);
    await q.query(
      'CREATE INDEX repair_applications_dept ON tracking.repair_applications (owner_dept, submitted_at)',
    );
    await q.query(`CREATE INDEX repair_applications_pending ON tracking.repair_applications (status)
      WHERE status IN ('submitted', 'accepted')`);
    await q.query(`CREATE TABLE tracking.documents (
      document_id uuid PRIMARY KEY,
      entry_id uuid NOT NULL,
      owner_dept text NOT NULL,
      kind text NOT NULL,
      application_id uuid,
      issued_at timestamptz NOT NULL
    )`);
    await q.query('CREATE INDEX documents_dept ON tracking.documents (owner_dept, issued_at)');
    await q.query(`CREATE TABLE tracking.commitments (
      commitment_id uuid PRIMARY KEY,
      subject_kind text NOT NULL,
      matter text NOT NULL,
      entry_id uuid,
      recorded_by_dept text NOT NULL,
      recorded_at timestamptz,
      status text NOT NULL,
      kept_at timestamptz,
      broken_at timestamptz,
      new_entry_id uuid
    )`);
    await q.query('CREATE INDEX commitments_dept ON tracking.commitments (recorded_by_dept, recorded_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'commitments',
      'documents',
      'repair_applications',
      'objections',
      'statements',
      'notices',
    ])
      await q.query(`DROP TABLE tracking.${t}`);
  }
}
