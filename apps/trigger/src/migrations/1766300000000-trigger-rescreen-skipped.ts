import { MigrationInterface, QueryRunner } from 'typeorm';

/** How many entries a re-screening job skipped because they could not be fanned out (decision 0018). */
export class TriggerRescreenSkipped1766300000000 implements MigrationInterface {
  name = 'TriggerRescreenSkipped1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trigger.rescreen_jobs ADD COLUMN skipped int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trigger.rescreen_jobs DROP COLUMN skipped`);
  }
}
