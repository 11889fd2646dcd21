import { MigrationInterface, QueryRunner } from 'typeorm';

/** Suspension, re-issue generations and the delivery channel of each assignment (issue 4). */
export class EnforcementDelivery1764100000000 implements MigrationInterface {
  name = 'EnforcementDelivery1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enforcement.assignments
      ADD COLUMN suspended_from text,
      ADD COLUMN generation int NOT NULL DEFAULT 0,
      ADD COLUMN subscribed boolean NOT NULL DEFAULT false,
      ADD COLUMN channel text NOT NULL DEFAULT 'pull',
      ADD COLUMN webhook_url text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enforcement.assignments DROP COLUMN suspended_from, DROP COLUMN generation,
      DROP COLUMN subscribed, DROP COLUMN channel, DROP COLUMN webhook_url`);
  }
}
