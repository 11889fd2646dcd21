import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision 0030: statements, objections and repair applications closed without an answer (withdrawn, or
 * closed when their entry ended) stop counting: `closed_at` keeps when.
 */
export class TrackingDueProcessClosures1768010000001 implements MigrationInterface {
  name = 'TrackingDueProcessClosures1768010000001';

  async up(q: QueryRunner): Promise<void> {
    for (const t of ['statements', 'objections', 'repair_applications'])
      await q.query(`ALTER TABLE tracking.${t} ADD COLUMN closed_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['statements', 'objections', 'repair_applications'])
      await q.query(`ALTER TABLE tracking.${t} DROP COLUMN closed_at`);
  }
}
