import { MigrationInterface, QueryRunner } from 'typeorm';

/** Legacy identifiers of the listed subject travel with its assignments (the check finds them by these too). */
export class TriggerLegacyIds1764400000000 implements MigrationInterface {
  name = 'TriggerLegacyIds1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trigger.entries ADD COLUMN subject_legacy_ids text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE trigger.entries DROP COLUMN subject_legacy_ids');
  }
}
