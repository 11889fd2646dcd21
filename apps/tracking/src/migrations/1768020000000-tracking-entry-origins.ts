import { MigrationInterface, QueryRunner } from 'typeorm';

/** 区域联合奖惩 (decision 0035): the partner region an entry was received from, for statistics by origin. */
export class TrackingEntryOrigins1768020000000 implements MigrationInterface {
  name = 'TrackingEntryOrigins1768020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tracking.entries ADD COLUMN origin_region text`);
    await q.query(
      `CREATE INDEX entries_origin ON tracking.entries (origin_region) WHERE origin_region IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tracking.entries_origin`);
    await q.query(`ALTER TABLE tracking.entries DROP COLUMN origin_region`);
  }
}
