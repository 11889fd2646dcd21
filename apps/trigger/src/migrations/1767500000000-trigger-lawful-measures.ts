import { MigrationInterface, QueryRunner } from 'typeorm';
import { parseLegalBasis } from '../lawful/legal-basis';

/**
 * Lawful measures (decision 0031): structured legal bases, minimum severity and conditions on measures;
 * a memorandum's colour and the state of its effective window; what an entry's decision names (severity,
 * amount, kind of violation); and the measures an owner excluded from an entry.
 */
export class TriggerLawfulMeasures1767500000000 implements MigrationInterface {
  name = 'TriggerLawfulMeasures1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trigger.measures
      ADD COLUMN legal_bases jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN min_severity text,
      ADD COLUMN conditions jsonb`);
    // the bases written as text, read as instruments (a title the reading does not know is a memorandum's)
    const rows: { id: string; legal_basis: string }[] = await q.query(
      `SELECT id, legal_basis FROM trigger.measures`,
    );
    for (const row of rows) {
      await q.query(`UPDATE trigger.measures SET legal_bases = $2::jsonb WHERE id = $1`, [
        row.id,
        JSON.stringify(parseLegalBasis(row.legal_basis)),
      ]);
    }
    await q.query(`ALTER TABLE trigger.memoranda
      ADD COLUMN colour text,
      ADD COLUMN window_state text NOT NULL DEFAULT 'active',
      ADD COLUMN window_changed_at timestamptz`);
    await q.query(`ALTER TABLE trigger.entries
      ADD COLUMN severity text,
      ADD COLUMN decision_amount numeric,
      ADD COLUMN violation_kind text`);
    await q.query(`CREATE TABLE trigger.measure_exclusions (
      entry_id uuid NOT NULL,
      measure_code text NOT NULL,
      reason text NOT NULL,
      by_sub text NOT NULL,
      by_dept text NOT NULL,
      at timestamptz NOT NULL,
      PRIMARY KEY (entry_id, measure_code)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trigger.measure_exclusions`);
    await q.query(`ALTER TABLE trigger.entries DROP COLUMN severity, DROP COLUMN decision_amount,
      DROP COLUMN violation_kind`);
    await q.query(`ALTER TABLE trigger.memoranda DROP COLUMN colour, DROP COLUMN window_state,
      DROP COLUMN window_changed_at`);
    await q.query(`ALTER TABLE trigger.measures DROP COLUMN legal_bases, DROP COLUMN min_severity,
      DROP COLUMN conditions`);
  }
}
