import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Periods and exits as the law sets them (issue 14, decision 0033): open-ended periods and extensions per
 * list type, excluded subjects, red entries ended by a black listing; on entries the reason of a period
 * that does not start on the decision date, the open-ended flag and the count of extensions.
 */
export class RegistryPeriods1767700000000 implements MigrationInterface {
  name = 'RegistryPeriods1767700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.list_types
      ADD COLUMN open_ended_allowed boolean NOT NULL DEFAULT false,
      ADD COLUMN extension_min_days int,
      ADD COLUMN extension_max_days int,
      ADD COLUMN max_extensions int NOT NULL DEFAULT 1,
      ADD COLUMN excluded_subjects text[] NOT NULL DEFAULT '{}',
      ADD COLUMN ends_on_black_listing boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE registry.list_entries
      ADD COLUMN open_ended boolean NOT NULL DEFAULT false,
      ADD COLUMN period_reason text,
      ADD COLUMN extensions int NOT NULL DEFAULT 0`);
    // an import may be the notice itself (mode notice)
    await q.query(`ALTER TABLE registry.imports DROP CONSTRAINT imports_mode_check,
      ADD CONSTRAINT imports_mode_check CHECK (mode IN ('draft', 'notice', 'publish'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.imports DROP CONSTRAINT imports_mode_check,
      ADD CONSTRAINT imports_mode_check CHECK (mode IN ('draft', 'publish'))`);
    await q.query(`ALTER TABLE registry.list_entries
      DROP COLUMN open_ended, DROP COLUMN period_reason, DROP COLUMN extensions`);
    await q.query(`ALTER TABLE registry.list_types
      DROP COLUMN open_ended_allowed, DROP COLUMN extension_min_days, DROP COLUMN extension_max_days,
      DROP COLUMN max_extensions, DROP COLUMN excluded_subjects, DROP COLUMN ends_on_black_listing`);
  }
}
