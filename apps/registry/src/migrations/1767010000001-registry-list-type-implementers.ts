import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The departments implementing a measure in force on each list type, as trigger announces them
 * (`credit.list-type.implementers.v1`, decision 0023): they read the list type's class-B entries.
 */
export class RegistryListTypeImplementers1767010000001 implements MigrationInterface {
  name = 'RegistryListTypeImplementers1767010000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE registry.list_type_implementers (
        list_type text PRIMARY KEY,
        depts text[] NOT NULL,
        at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE registry.list_type_implementers');
  }
}
