import { MigrationInterface, QueryRunner } from 'typeorm';

/** A department may supervise: only then may its tokens hold supervisor or credit_office (decision 0019). */
export class RegistrySupervisingDepartments1765519000000 implements MigrationInterface {
  name = 'RegistrySupervisingDepartments1765519000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.departments ADD COLUMN supervising boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.departments DROP COLUMN supervising`);
  }
}
