import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bulk imports of list entries: one row per import, its progress and its report (issue 3 item 8). */
export class RegistryImports1764200000000 implements MigrationInterface {
  name = 'RegistryImports1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE registry.imports (
      id uuid PRIMARY KEY,
      owner_dept text NOT NULL,
      list_type text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('draft', 'publish')),
      status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
      total int NOT NULL DEFAULT 0,
      accepted int NOT NULL DEFAULT 0,
      rejected int NOT NULL DEFAULT 0,
      rejections jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_by text NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      error text
    )`);
    await q.query('CREATE INDEX imports_owner_started ON registry.imports (owner_dept, started_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE registry.imports');
  }
}
