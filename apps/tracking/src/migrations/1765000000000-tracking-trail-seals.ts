import { MigrationInterface, QueryRunner } from 'typeorm';
import { trailRankSql } from '../trail/trail-order';

/**
 * Decision 0011: the trail's hash chain follows the canonical order and is made by sealing. Records are
 * stored as they arrive (unchained); once nothing can still sort before them they are sealed into the
 * entry's chain (`trail_seals`, append-only like the records). Records written before keep their old
 * arrival-order hashes in place but are sealed again in the canonical order like every other.
 */
export class TrackingTrailSeals1765000000000 implements MigrationInterface {
  name = 'TrackingTrailSeals1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tracking.trail_records ALTER COLUMN prev_hash DROP NOT NULL`);
    await q.query(`ALTER TABLE tracking.trail_records ALTER COLUMN hash DROP NOT NULL`);
    await q.query(`CREATE TABLE tracking.trail_seals (
      entry_id uuid NOT NULL,
      position int NOT NULL CHECK (position > 0),
      event_id text NOT NULL UNIQUE,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      -- sealed after a record that sorts after it (it arrived after its place was sealed)
      late boolean NOT NULL DEFAULT false,
      sealed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (entry_id, position)
    )`);
    await q.query(`CREATE TRIGGER trail_seals_no_update BEFORE UPDATE OR DELETE ON tracking.trail_seals
      FOR EACH ROW EXECUTE FUNCTION tracking.trail_records_append_only()`);
    await q.query(`CREATE TRIGGER trail_seals_no_truncate BEFORE TRUNCATE ON tracking.trail_seals
      FOR EACH STATEMENT EXECUTE FUNCTION tracking.trail_records_append_only()`);
    // the sealing job's work queue: records not sealed yet, by their canonical key
    await q.query(`CREATE TABLE tracking.trail_unsealed (
      event_id text PRIMARY KEY,
      entry_id uuid NOT NULL,
      time timestamptz NOT NULL,
      rank smallint NOT NULL
    )`);
    await q.query(`CREATE INDEX trail_unsealed_time ON tracking.trail_unsealed (time)`);
    await q.query(
      `CREATE INDEX trail_unsealed_entry ON tracking.trail_unsealed (entry_id, time, rank, event_id)`,
    );
    await q.query(`INSERT INTO tracking.trail_unsealed (event_id, entry_id, time, rank)
      SELECT event_id, entry_id, time, ${trailRankSql('type')} FROM tracking.trail_records`);
    // how far the trail's consumer has read each partition (written with the records it applied)
    await q.query(`CREATE TABLE tracking.trail_progress (
      consumer text NOT NULL,
      topic text NOT NULL,
      partition int NOT NULL,
      last_offset bigint NOT NULL,
      last_time timestamptz NOT NULL,
      PRIMARY KEY (consumer, topic, partition)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tracking.trail_progress');
    await q.query('DROP TABLE tracking.trail_unsealed');
    await q.query('DROP TABLE tracking.trail_seals');
  }
}
