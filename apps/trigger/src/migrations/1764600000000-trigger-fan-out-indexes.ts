import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper assignment inserts (issue 4): a fan-out writes one row per entry × measure × target.
 * - The foreign key to measures ran one lookup and row lock per inserted row; the measure id always comes
 *   from a measures row read in the same transaction, and measures are never deleted (a change is a new
 *   version, a retirement sets `retired_at`), so it guarded nothing.
 * - `assignments_entry (entry_id, issued_at, id)` duplicated the unique key, which also starts with
 *   `entry_id`; an entry has a few dozen assignments at most, sorted in memory.
 */
export class TriggerFanOutIndexes1764600000000 implements MigrationInterface {
  name = 'TriggerFanOutIndexes1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE trigger.assignments DROP CONSTRAINT assignments_measure_id_fkey');
    await q.query('DROP INDEX trigger.assignments_entry');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX assignments_entry ON trigger.assignments (entry_id, issued_at, id)`);
    await q.query(`ALTER TABLE trigger.assignments
      ADD CONSTRAINT assignments_measure_id_fkey FOREIGN KEY (measure_id) REFERENCES trigger.measures (id)`);
  }
}
