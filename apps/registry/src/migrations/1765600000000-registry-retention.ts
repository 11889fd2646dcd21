import { MigrationInterface, QueryRunner } from 'typeorm';

/** When an ended entry's personal data was anonymised (decision 0021); the job's work list by end. */
export class RegistryRetention1765600000000 implements MigrationInterface {
  name = 'RegistryRetention1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.list_entries ADD COLUMN anonymised_at timestamptz`);
    await q.query(`CREATE INDEX list_entries_retention ON registry.list_entries (ended_at)
      WHERE status = 'ended' AND anonymised_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX registry.list_entries_retention');
    await q.query('ALTER TABLE registry.list_entries DROP COLUMN anonymised_at');
  }
}
