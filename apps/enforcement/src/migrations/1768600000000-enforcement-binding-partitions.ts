import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The check's index split by Kafka partition, with a backstop that costs O(changes) (decision 0055).
 *
 * - `enforcement.key_hash(text)`: murmur2 of the text's UTF-8 bytes, made positive — kafkajs's default
 *   partitioner (the Java client's) — so `target_hash % partitions` is the partition a record keyed by
 *   the target goes to. 32-bit products are built from 16-bit halves in bigint arithmetic.
 * - `assignments.target_hash`: stored, set by a trigger when a row is written without it (a bulk load
 *   may give it). A replica reads `WHERE target_hash % $n = ANY($owned)`.
 * - `assignments.written_xid`: the transaction that last wrote the row, indexed: the backstop asks for
 *   the rows written since its watermark through the index instead of scanning every row's `xmin`.
 * - `assignment_removals`: a deleted row (no code path deletes one; an operator may) leaves its keys
 *   here, so the backstop no longer counts the binding set to notice a delete.
 */
export class EnforcementBindingPartitions1768600000000 implements MigrationInterface {
  name = 'EnforcementBindingPartitions1768600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION enforcement.key_hash(key text) RETURNS int
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
      DECLARE
        data bytea := convert_to(key, 'UTF8');
        len int := length(data);
        m bigint := 1540483477;
        h bigint := 2538058380 # length(convert_to(key, 'UTF8'));
        k bigint;
        i int := 0;
        tail int;
      BEGIN
        WHILE i + 4 <= len LOOP
          k := get_byte(data, i)::bigint | (get_byte(data, i + 1)::bigint << 8)
            | (get_byte(data, i + 2)::bigint << 16) | (get_byte(data, i + 3)::bigint << 24);
          k := ((k & 65535) * m + ((((k >> 16) * m) & 65535) << 16)) & 4294967295;
          k := k # (k >> 24);
          k := ((k & 65535) * m + ((((k >> 16) * m) & 65535) << 16)) & 4294967295;
          h := ((h & 65535) * m + ((((h >> 16) * m) & 65535) << 16)) & 4294967295;
          h := h # k;
          i := i + 4;
        END LOOP;
        tail := len - i;
        IF tail = 3 THEN h := h # (get_byte(data, i + 2)::bigint << 16); END IF;
        IF tail >= 2 THEN h := h # (get_byte(data, i + 1)::bigint << 8); END IF;
        IF tail >= 1 THEN
          h := h # get_byte(data, i)::bigint;
          h := ((h & 65535) * m + ((((h >> 16) * m) & 65535) << 16)) & 4294967295;
        END IF;
        h := h # (h >> 13);
        h := ((h & 65535) * m + ((((h >> 16) * m) & 65535) << 16)) & 4294967295;
        h := h # (h >> 15);
        RETURN (h & 2147483647)::int;
      END $$`);
    await q.query(`ALTER TABLE enforcement.assignments
      ADD COLUMN target_hash int,
      ADD COLUMN written_xid xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await q.query(`UPDATE enforcement.assignments SET target_hash = enforcement.key_hash(target_id)`);
    await q.query(`ALTER TABLE enforcement.assignments ALTER COLUMN target_hash SET NOT NULL`);
    await q.query(`CREATE FUNCTION enforcement.assignment_written() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.target_hash IS NULL OR (TG_OP = 'UPDATE' AND NEW.target_id IS DISTINCT FROM OLD.target_id) THEN
          NEW.target_hash := enforcement.key_hash(NEW.target_id);
        END IF;
        NEW.written_xid := pg_current_xact_id();
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER assignment_written BEFORE INSERT OR UPDATE ON enforcement.assignments
      FOR EACH ROW EXECUTE FUNCTION enforcement.assignment_written()`);
    await q.query(`CREATE INDEX assignments_written ON enforcement.assignments (written_xid)`);
    await q.query(`CREATE TABLE enforcement.assignment_removals (
      id uuid NOT NULL,
      target_id text NOT NULL,
      subject_id text NOT NULL,
      subject_legacy_ids text[] NOT NULL,
      target_hash int NOT NULL,
      removed_xid xid8 NOT NULL DEFAULT pg_current_xact_id()
    )`);
    await q.query(`CREATE INDEX assignment_removals_xid ON enforcement.assignment_removals (removed_xid)`);
    await q.query(`CREATE FUNCTION enforcement.assignment_removed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO enforcement.assignment_removals (id, target_id, subject_id, subject_legacy_ids, target_hash)
          VALUES (OLD.id, OLD.target_id, OLD.subject_id, OLD.subject_legacy_ids, OLD.target_hash);
        RETURN OLD;
      END $$`);
    await q.query(`CREATE TRIGGER assignment_removed AFTER DELETE ON enforcement.assignments
      FOR EACH ROW EXECUTE FUNCTION enforcement.assignment_removed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER assignment_removed ON enforcement.assignments');
    await q.query('DROP FUNCTION enforcement.assignment_removed()');
    await q.query('DROP TABLE enforcement.assignment_removals');
    await q.query('DROP TRIGGER assignment_written ON enforcement.assignments');
    await q.query('DROP FUNCTION enforcement.assignment_written()');
    await q.query(`ALTER TABLE enforcement.assignments DROP COLUMN written_xid, DROP COLUMN target_hash`);
    await q.query('DROP FUNCTION enforcement.key_hash(text)');
  }
}
