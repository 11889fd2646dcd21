import { MigrationInterface, QueryRunner } from 'typeorm';

/** 信用修复 terms per list type (issue 13): repairable, minimum period, conditions, commitment, deadlines. */
export class RegistryRepairTerms1767000000000 implements MigrationInterface {
  name = 'RegistryRepairTerms1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.list_types
      ADD COLUMN repairable boolean NOT NULL DEFAULT true,
      ADD COLUMN min_repair_days int,
      ADD COLUMN min_repair_days_reason text,
      ADD COLUMN repair_conditions jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN commitment_required boolean NOT NULL DEFAULT true,
      ADD COLUMN repair_accept_working_days int NOT NULL DEFAULT 2,
      ADD COLUMN repair_decide_working_days int NOT NULL DEFAULT 5`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.list_types
      DROP COLUMN repairable, DROP COLUMN min_repair_days, DROP COLUMN min_repair_days_reason,
      DROP COLUMN repair_conditions, DROP COLUMN commitment_required,
      DROP COLUMN repair_accept_working_days, DROP COLUMN repair_decide_working_days`);
  }
}
