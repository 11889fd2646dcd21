import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision 0021: an anonymised entry's trail records are redacted in place. A redaction is recorded
 * first (with whether the chain verified just before); the append-only trigger then lets exactly that
 * change through: a redacted record's `data`, nothing else, and never a seal.
 */
export class TrackingTrailRedactions1765600000000 implements MigrationInterface {
  name = 'TrackingTrailRedactions1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tracking.trail_redactions (
      event_id text PRIMARY KEY,
      entry_id uuid NOT NULL,
      redacted_at timestamptz NOT NULL,
      -- the entry's sealed chain verified, content included, just before the redaction
      chain_verified boolean NOT NULL
    )`);
    await q.query(`CREATE INDEX trail_redactions_entry ON tracking.trail_redactions (entry_id)`);
    await q.query(`CREATE OR REPLACE FUNCTION tracking.trail_records_append_only() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'trail_records' AND TG_OP = 'UPDATE'
           AND EXISTS (SELECT 1 FROM tracking.trail_redactions r WHERE r.event_id = OLD.event_id)
           AND (to_jsonb(NEW) - 'data') = (to_jsonb(OLD) - 'data') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'trail records are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION tracking.trail_records_append_only() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'trail records are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query('DROP TABLE tracking.trail_redactions');
  }
}
