import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 区域联合奖惩 (decision 0035): an entry received from a partner region carries the measures a recognition
 * agreement applies locally; only those may reach it (null: every applicable measure, as before).
 */
export class TriggerRecognisedMeasures1768020000000 implements MigrationInterface {
  name = 'TriggerRecognisedMeasures1768020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trigger.entries ADD COLUMN recognised_measures text[]`);
    await q.query(`ALTER TABLE trigger.entries ADD COLUMN origin_region text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trigger.entries DROP COLUMN origin_region`);
    await q.query(`ALTER TABLE trigger.entries DROP COLUMN recognised_measures`);
  }
}
