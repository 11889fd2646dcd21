import { MigrationInterface, QueryRunner } from 'typeorm';

/** Deadlines stop while an assignment is suspended and move back by the working days it was. */
export class TrackingSuspension1765100000000 implements MigrationInterface {
  name = 'TrackingSuspension1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tracking.follow_up_assignments
      ADD COLUMN suspended_at timestamptz,
      ADD COLUMN suspended_working_days int NOT NULL DEFAULT 0 CHECK (suspended_working_days >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tracking.follow_up_assignments
      DROP COLUMN suspended_working_days, DROP COLUMN suspended_at`);
  }
}
