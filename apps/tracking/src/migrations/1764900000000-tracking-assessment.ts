import { MigrationInterface, QueryRunner } from 'typeorm';

/** The assessment report reads one department's assignments of a period. */
export class TrackingAssessment1764900000000 implements MigrationInterface {
  name = 'TrackingAssessment1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX follow_up_dept_issued ON tracking.follow_up_assignments (dept, issued_at) WHERE issued`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX tracking.follow_up_dept_issued');
  }
}
