import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision 0071: reconciliation's "lifts missing" detection in O(changes). `reconciliation_marks` keeps,
 * per detection, how far its last pass got (`up_to`: the end times below it were read); the next pass
 * reads only entries ended since, by `entries_ended`, less a bounded look-back for facts that arrive late.
 * No row: the first pass reads the whole history once.
 */
export class TrackingReconciliationMarks1769630000000 implements MigrationInterface {
  name = 'TrackingReconciliationMarks1769630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tracking.reconciliation_marks (
      kind text PRIMARY KEY,
      up_to timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tracking.reconciliation_marks`);
  }
}
