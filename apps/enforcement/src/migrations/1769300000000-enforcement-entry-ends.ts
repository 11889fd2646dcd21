import { MigrationInterface, QueryRunner } from 'typeorm';

/** The body of `assignment_entry_ended()`: an assignment issued after its entry's end is marked. */
export const ASSIGNMENT_ENTRY_ENDED = `      BEGIN
        IF NEW.entry_ended_at IS NULL THEN
          SELECT e.ended_at INTO NEW.entry_ended_at FROM enforcement.ended_entries e
            WHERE e.entry_id = NEW.entry_id;
        END IF;
        RETURN NEW;
      END`;

/**
 * Decision 0063: enforcement hears an entry's end from registry itself, and the entry's assignments stop
 * binding the check at once, before trigger's lifts come back.
 *
 * - `ended_entries`: the ends heard (an end is final: registry has no way out of `ended`).
 * - `assignments.entry_ended_at`: set on every assignment of an ended entry; the check's binding set is
 *   `status IN (issued, acknowledged, enforced) AND entry_ended_at IS NULL`. The status (the lifecycle)
 *   stays trigger's. A row written is seen by the backstop (`written_xid`), as a lift is.
 * - a trigger sets it on an assignment issued after its entry's end was heard (the two topics are not
 *   ordered against each other), so such a row never binds.
 */
export class EnforcementEntryEnds1769300000000 implements MigrationInterface {
  name = 'EnforcementEntryEnds1769300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE enforcement.ended_entries (
      entry_id uuid PRIMARY KEY,
      ended_at timestamptz NOT NULL,
      reason text NOT NULL,
      heard_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`ALTER TABLE enforcement.assignments ADD COLUMN entry_ended_at timestamptz`);
    await q.query(`CREATE INDEX assignments_entry ON enforcement.assignments (entry_id)`);
    await q.query(`CREATE FUNCTION enforcement.assignment_entry_ended() RETURNS trigger LANGUAGE plpgsql AS $$
${ASSIGNMENT_ENTRY_ENDED} $$`);
    await q.query(`CREATE TRIGGER assignment_entry_ended BEFORE INSERT ON enforcement.assignments
      FOR EACH ROW EXECUTE FUNCTION enforcement.assignment_entry_ended()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER assignment_entry_ended ON enforcement.assignments');
    await q.query('DROP FUNCTION enforcement.assignment_entry_ended()');
    await q.query('DROP INDEX enforcement.assignments_entry');
    await q.query('ALTER TABLE enforcement.assignments DROP COLUMN entry_ended_at');
    await q.query('DROP TABLE enforcement.ended_entries');
  }
}
