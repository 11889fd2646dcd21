import { MigrationInterface, QueryRunner } from 'typeorm';
import { knownDepartmentsTableDown, knownDepartmentsTableUp } from '@credit/messaging';

/** The registered departments, from credit.departments: what tokens' dept is checked against (decision 0019). */
export class TriggerKnownDepartments1765519000000 implements MigrationInterface {
  name = 'TriggerKnownDepartments1765519000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of knownDepartmentsTableUp('trigger')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of knownDepartmentsTableDown('trigger')) await q.query(sql);
  }
}
