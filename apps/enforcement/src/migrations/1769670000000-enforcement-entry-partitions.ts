import { MigrationInterface, QueryRunner } from 'typeorm';
import { ASSIGNMENT_ENTRY_ENDED } from './1769300000000-enforcement-entry-ends';

/**
 * Decision 0080's follow-up: the table partitions that hold an entry's assignments. The end of an entry
 * marks every assignment of it (`WHERE entry_id = …`), and the end event names the listed subject, not
 * the related persons its assignments may target: over the 48 partitions of `enforcement.assignments`
 * that statement is planned and locked on each partition and its seven indexes (~6.6 ms a statement on
 * an empty table, against 0.1 ms in one partition). `entry_partitions` holds (entry, table partition),
 * a row per target partition of an entry, written by the trigger that already runs on each inserted
 * assignment (so the inbox, the bulk paths and a replay all keep it), never deleted with the rows
 * (assignments are kept; an anonymised copy keeps its partition).
 */
export class EnforcementEntryPartitions1769670000000 implements MigrationInterface {
  name = 'EnforcementEntryPartitions1769670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE enforcement.entry_partitions (
      entry_id uuid NOT NULL,
      key_partition smallint NOT NULL,
      CONSTRAINT entry_partitions_pkey PRIMARY KEY (entry_id, key_partition)
    )`);
    await q.query(`INSERT INTO enforcement.entry_partitions (entry_id, key_partition)
      SELECT DISTINCT entry_id, key_partition FROM enforcement.assignments`);
    await q.query(`CREATE OR REPLACE FUNCTION enforcement.assignment_entry_ended() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.entry_ended_at IS NULL THEN
          SELECT e.ended_at INTO NEW.entry_ended_at FROM enforcement.ended_entries e
            WHERE e.entry_id = NEW.entry_id;
        END IF;
        INSERT INTO enforcement.entry_partitions (entry_id, key_partition)
          VALUES (NEW.entry_id, NEW.key_partition) ON CONFLICT DO NOTHING;
        RETURN NEW;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION enforcement.assignment_entry_ended() RETURNS trigger
      LANGUAGE plpgsql AS $$
${ASSIGNMENT_ENTRY_ENDED} $$`);
    await q.query(`DROP TABLE enforcement.entry_partitions`);
  }
}
