import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 典型案例 (issue 14): cases nominated by the departments, screened by the credit office, published and
 * exported for the province. The entries and feedback a case is made of are copied in when it is
 * nominated: the case shows what made it typical even after the entry changed.
 */
export class TrackingTypicalCases1768030000000 implements MigrationInterface {
  name = 'TrackingTypicalCases1768030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tracking.typical_cases (
      id uuid PRIMARY KEY,
      title text NOT NULL,
      summary text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('punishment', 'incentive')),
      status text NOT NULL CHECK (status IN ('submitted', 'screening', 'accepted', 'rejected', 'published', 'withdrawn')),
      nominating_dept text NOT NULL,
      nominated_by text NOT NULL,
      region text NOT NULL,
      entry_ids uuid[] NOT NULL,
      assignment_ids uuid[] NOT NULL,
      entries jsonb NOT NULL,
      feedback jsonb NOT NULL,
      nominated_at timestamptz NOT NULL,
      screening_by text,
      screening_at timestamptz,
      decided_by text,
      decided_at timestamptz,
      decision_note text,
      rejection_reason text,
      published_at timestamptz,
      withdrawn_at timestamptz,
      withdrawal_reason text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX typical_cases_nominated ON tracking.typical_cases (nominated_at, id)`);
    await q.query(`CREATE INDEX typical_cases_decided ON tracking.typical_cases (decided_at, id)
      WHERE status IN ('accepted', 'published', 'withdrawn')`);
    await q.query(`CREATE INDEX typical_cases_published ON tracking.typical_cases (published_at, id)
      WHERE status = 'published'`);
    await q.query(`CREATE INDEX typical_cases_entries ON tracking.typical_cases USING gin (entry_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tracking.typical_cases');
  }
}
