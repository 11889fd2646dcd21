import { MigrationInterface, QueryRunner } from 'typeorm';
import { knownDepartmentsTableDown, knownDepartmentsTableUp } from '@credit/messaging';

/** The registered departments, from credit.departments: what tokens' dept is checked against (decision 0019). */
export class TrackingKnownDepartments1765519000000 implements MigrationInterface {
  name = 'TrackingKnownDepartments1765519000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of knownDepartmentsTableUp('tracking')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of knownDepartmentsTableDown('tracking')) await q.query(sql);
  }
}
