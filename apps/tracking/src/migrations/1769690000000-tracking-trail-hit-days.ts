import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision 0082: the trail keeps the day's first check hit of each entry, department, action and
 * decision; every hit stays in reconciliation's `check_hits` and in enforcement's check log. A row here
 * says that day's hit is in the trail already; rows older than a week are pruned (a late hit of an older
 * day is recorded again, which is harmless).
 */
export class TrackingTrailHitDays1769690000000 implements MigrationInterface {
  name = 'TrackingTrailHitDays1769690000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tracking.trail_hit_days (
      entry_id uuid NOT NULL,
      day date NOT NULL,
      dept text NOT NULL,
      action text NOT NULL,
      decision text NOT NULL,
      PRIMARY KEY (entry_id, day, dept, action, decision)
    )`);
    await q.query(`CREATE INDEX trail_hit_days_day ON tracking.trail_hit_days (day)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tracking.trail_hit_days`);
  }
}
