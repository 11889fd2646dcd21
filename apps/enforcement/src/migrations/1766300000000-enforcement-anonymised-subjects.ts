import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subjects anonymised a moment ago, by the SHA-256 of each former identifier (decision 0021): a read
 * recorded before the anonymisation can reach the access log after it (through another service's outbox),
 * and is stored under the pseudonym. Rows are kept a week, then dropped.
 */
export class EnforcementAnonymisedSubjects1766300000000 implements MigrationInterface {
  name = 'EnforcementAnonymisedSubjects1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE enforcement.anonymised_subjects (
      digest bytea PRIMARY KEY,
      pseudonym text NOT NULL,
      anonymised_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE enforcement.anonymised_subjects');
  }
}
