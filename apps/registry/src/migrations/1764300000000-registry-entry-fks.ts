import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entries are written in bulk (imports of tens of thousands of rows); their list type and owner are
 * checked by the use cases before writing, so the per-row foreign-key triggers only cost time
 * (measured: about a third of a bulk insert). List types and departments are never deleted.
 */
export class RegistryEntryFks1764300000000 implements MigrationInterface {
  name = 'RegistryEntryFks1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE registry.list_entries DROP CONSTRAINT list_entries_list_type_fkey');
    await q.query('ALTER TABLE registry.list_entries DROP CONSTRAINT list_entries_owner_dept_fkey');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.list_entries
      ADD CONSTRAINT list_entries_list_type_fkey FOREIGN KEY (list_type) REFERENCES registry.list_types (code),
      ADD CONSTRAINT list_entries_owner_dept_fkey FOREIGN KEY (owner_dept) REFERENCES registry.departments (code)`);
  }
}
