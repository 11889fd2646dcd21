import { MigrationInterface, QueryRunner } from 'typeorm';
import { createDefaultSql, createMonthSql, monthsToCover } from '@credit/persistence';

const AHEAD = 3;

/** The append-only rule: the one UPDATE let through is a recorded redaction's (0021), on any partition. */
const APPEND_ONLY = `CREATE OR REPLACE FUNCTION tracking.trail_records_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    -- on a partition TG_TABLE_NAME is the partition's name (trail_records_p202612, trail_records_default)
    IF (TG_TABLE_NAME = 'trail_records' OR TG_TABLE_NAME LIKE 'trail\\_records\\_%') AND TG_OP = 'UPDATE'
       AND EXISTS (SELECT 1 FROM tracking.trail_redactions r WHERE r.event_id = OLD.event_id)
       AND (to_jsonb(NEW) - 'data') = (to_jsonb(OLD) - 'data') THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'trail records are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
  END $$`;

/**
 * Decision 0056: the trail's records partitioned by month of their event time (`time`), made again
 * under their own name with every row moved. A partitioned table's keys hold the partition column:
 * `(seq, time)` and `(event_id, time)` — an event always carries the same time, so a redelivery still
 * meets its first copy (`ON CONFLICT (event_id, time)`). The chain is untouched: seals (`trail_seals`)
 * name records by event id and hash their content (never `seq` nor where a row is stored), so every
 * entry verifies as before. The trail is kept for ever: the maintainer makes months ahead and drops none
 * (old months can be moved to cheaper storage a partition at a time).
 */
export class TrackingPartitionedTrail1768800000001 implements MigrationInterface {
  name = 'TrackingPartitionedTrail1768800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tracking.trail_records RENAME TO trail_records_unpartitioned`);
    await q.query(`ALTER INDEX tracking.trail_records_pkey RENAME TO trail_records_unpartitioned_pkey`);
    await q.query(
      `ALTER INDEX tracking.trail_records_event_id_key RENAME TO trail_records_unpartitioned_event_id_key`,
    );
    await q.query(`ALTER INDEX tracking.trail_records_entry RENAME TO trail_records_unpartitioned_entry`);
    await q.query(`CREATE TABLE tracking.trail_records (
      seq bigint NOT NULL DEFAULT nextval('tracking.trail_records_seq_seq'),
      entry_id uuid NOT NULL,
      event_id text NOT NULL,
      type text NOT NULL,
      topic text NOT NULL,
      time timestamptz NOT NULL,
      actor_dept text,
      data jsonb NOT NULL,
      prev_hash text,
      hash text,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT trail_records_pkey PRIMARY KEY (seq, time),
      CONSTRAINT trail_records_event_id_key UNIQUE (event_id, time)
    ) PARTITION BY RANGE (time)`);
    await q.query(`ALTER SEQUENCE tracking.trail_records_seq_seq OWNED BY tracking.trail_records.seq`);
    await q.query(`CREATE INDEX trail_records_entry ON tracking.trail_records (entry_id, seq)`);
    const [{ at }]: { at: Date | null }[] = await q.query(
      `SELECT min(time) AS at FROM tracking.trail_records_unpartitioned`,
    );
    for (const month of monthsToCover(at ? new Date(at) : null, new Date(), AHEAD))
      await q.query(createMonthSql('tracking.trail_records', month));
    await q.query(createDefaultSql('tracking.trail_records'));
    await q.query(`INSERT INTO tracking.trail_records
      (seq, entry_id, event_id, type, topic, time, actor_dept, data, prev_hash, hash, recorded_at)
      SELECT seq, entry_id, event_id, type, topic, time, actor_dept, data, prev_hash, hash, recorded_at
      FROM tracking.trail_records_unpartitioned`);
    await q.query(`DROP TABLE tracking.trail_records_unpartitioned`);
    await q.query(APPEND_ONLY);
    await q.query(`CREATE TRIGGER trail_records_no_update BEFORE UPDATE OR DELETE ON tracking.trail_records
      FOR EACH ROW EXECUTE FUNCTION tracking.trail_records_append_only()`);
    await q.query(`CREATE TRIGGER trail_records_no_truncate BEFORE TRUNCATE ON tracking.trail_records
      FOR EACH STATEMENT EXECUTE FUNCTION tracking.trail_records_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tracking.trail_records RENAME TO trail_records_partitioned`);
    await q.query(`ALTER INDEX tracking.trail_records_pkey RENAME TO trail_records_partitioned_pkey`);
    await q.query(
      `ALTER INDEX tracking.trail_records_event_id_key RENAME TO trail_records_partitioned_event_id_key`,
    );
    await q.query(`ALTER INDEX tracking.trail_records_entry RENAME TO trail_records_partitioned_entry`);
    await q.query(`CREATE TABLE tracking.trail_records (
      seq bigint PRIMARY KEY DEFAULT nextval('tracking.trail_records_seq_seq'),
      entry_id uuid NOT NULL,
      event_id text NOT NULL UNIQUE,
      type text NOT NULL,
      topic text NOT NULL,
      time timestamptz NOT NULL,
      actor_dept text,
      data jsonb NOT NULL,
      prev_hash text,
      hash text,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`ALTER SEQUENCE tracking.trail_records_seq_seq OWNED BY tracking.trail_records.seq`);
    await q.query(`INSERT INTO tracking.trail_records SELECT seq, entry_id, event_id, type, topic, time,
      actor_dept, data, prev_hash, hash, recorded_at FROM tracking.trail_records_partitioned`);
    await q.query(`DROP TABLE tracking.trail_records_partitioned`);
    await q.query(`CREATE INDEX trail_records_entry ON tracking.trail_records (entry_id, seq)`);
    await q.query(`CREATE TRIGGER trail_records_no_update BEFORE UPDATE OR DELETE ON tracking.trail_records
      FOR EACH ROW EXECUTE FUNCTION tracking.trail_records_append_only()`);
    await q.query(`CREATE TRIGGER trail_records_no_truncate BEFORE TRUNCATE ON tracking.trail_records
      FOR EACH STATEMENT EXECUTE FUNCTION tracking.trail_records_append_only()`);
  }
}
