import { MigrationInterface, QueryRunner } from 'typeorm';

/** Watch lists: the subjects a department has ongoing business with, and what happened to them (issue 5). */
export class EnforcementWatchLists1764600000000 implements MigrationInterface {
  name = 'EnforcementWatchLists1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE enforcement.watch_list (
      dept text NOT NULL,
      subject_id text NOT NULL,
      note text,
      added_by text NOT NULL,
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (dept, subject_id)
    )`);
    await q.query(`CREATE INDEX watch_list_subject ON enforcement.watch_list (subject_id)`);
    await q.query(`CREATE TABLE enforcement.watch_notifications (
      id bigserial PRIMARY KEY,
      dept text NOT NULL,
      subject_id text NOT NULL,
      entry_id uuid NOT NULL,
      event_id text NOT NULL,
      event_type text NOT NULL,
      summary jsonb NOT NULL,
      at timestamptz NOT NULL,
      UNIQUE (dept, event_id)
    )`);
    await q.query(`CREATE INDEX watch_notifications_dept ON enforcement.watch_notifications (dept, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE enforcement.watch_notifications');
    await q.query('DROP TABLE enforcement.watch_list');
  }
}
