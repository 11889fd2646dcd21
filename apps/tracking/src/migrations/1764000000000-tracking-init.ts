import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesDown, messagingTablesUp } from '@credit/messaging';

export class TrackingInit1764000000000 implements MigrationInterface {
  name = 'TrackingInit1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tracking.trail_records (
      seq bigserial PRIMARY KEY,
      entry_id uuid NOT NULL,
      event_id text NOT NULL UNIQUE,
      type text NOT NULL,
      topic text NOT NULL,
      time timestamptz NOT NULL,
      actor_dept text,
      data jsonb NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX trail_records_entry ON tracking.trail_records (entry_id, seq)`);
    // append-only, enforced by the database itself: no application path can rewrite history
    await q.query(`CREATE FUNCTION tracking.trail_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'trail records are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER trail_records_no_update BEFORE UPDATE OR DELETE ON tracking.trail_records
      FOR EACH ROW EXECUTE FUNCTION tracking.trail_records_append_only()`);
    await q.query(`CREATE TRIGGER trail_records_no_truncate BEFORE TRUNCATE ON tracking.trail_records
      FOR EACH STATEMENT EXECUTE FUNCTION tracking.trail_records_append_only()`);
    for (const sql of messagingTablesUp('tracking')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesDown('tracking')) await q.query(sql);
    await q.query('DROP TABLE tracking.trail_records');
    await q.query('DROP FUNCTION tracking.trail_records_append_only()');
  }
}
