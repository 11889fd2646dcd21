import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A DOCX is a ZIP archive, already compressed: PostgreSQL's TOAST compression (pglz) tried on each file
 * never won anything and cost the backend about half of storing it. Stored out of line as it is
 * (decision 0064).
 */
export class RegistryDocumentsStoredAsIs1769400000000 implements MigrationInterface {
  name = 'RegistryDocumentsStoredAsIs1769400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE registry.documents ALTER COLUMN content SET STORAGE EXTERNAL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE registry.documents ALTER COLUMN content SET STORAGE EXTENDED');
  }
}
