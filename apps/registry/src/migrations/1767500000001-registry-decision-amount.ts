import { MigrationInterface, QueryRunner } from 'typeorm';

/** What a decision found that a measure's conditions may ask for (decision 0031): amount, kind of violation. */
export class RegistryDecisionAmount1767500000001 implements MigrationInterface {
  name = 'RegistryDecisionAmount1767500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.list_entries
      ADD COLUMN decision_amount numeric,
      ADD COLUMN decision_violation_kind text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.list_entries
      DROP COLUMN decision_amount, DROP COLUMN decision_violation_kind`);
  }
}
