import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision 0056: the overdue pass and the overdue count in O(changes).
 *
 * - `next_mark_at`: when the assignment's next overdue mark falls due (the earliest deadline or escalation
 *   not yet marked nor met, while it is followed and not paused); null when none can. A stored generated
 *   column, so every writer keeps it; the partial index on it is all the pass reads: only what fell due.
 *   It is exactly the pass's former filter (`next_mark_at < now` ⇔ some mark is due), so a row it reads
 *   gets a mark and moves on: the pass costs what became due, not the open assignments (the former
 *   `follow_up_open` index, ordered by deadlines but walked by id, goes).
 * - `overdue_counts` (department × kind × level) with `overdue_count_changes`: a trigger appends ±1 when
 *   a row enters, leaves or moves within the overdue set — appends only, so writers never wait on a hot
 *   counter nor deadlock on two; the overdue pass folds the changes into the counts (one replica at a
 *   time). A count is counts + changes not folded yet: exact at every commit, O(departments).
 * - `follow_up_overdue_dept`: a department's overdue page by index.
 */
export class TrackingOverdueRollup1768800000003 implements MigrationInterface {
  name = 'TrackingOverdueRollup1768800000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tracking.follow_up_assignments ADD COLUMN next_mark_at timestamptz
      GENERATED ALWAYS AS (
        CASE WHEN issued AND NOT suspended AND lifted_at IS NULL AND lift_confirmed_at IS NULL
               AND not_applicable_at IS NULL THEN
          LEAST(
            CASE WHEN acknowledged_at IS NULL AND ack_overdue_level < 1 THEN ack_deadline END,
            CASE WHEN acknowledged_at IS NULL AND ack_overdue_level < 2 THEN ack_escalation_at END,
            CASE WHEN enforced_at IS NULL AND feedback_overdue_level < 1 THEN feedback_deadline END,
            CASE WHEN enforced_at IS NULL AND feedback_overdue_level < 2 THEN feedback_escalation_at END)
        END) STORED`);
    await q.query(`CREATE INDEX follow_up_next_mark ON tracking.follow_up_assignments (next_mark_at, id)
      WHERE next_mark_at IS NOT NULL`);
    await q.query(`DROP INDEX tracking.follow_up_open`);
    await q.query(`CREATE INDEX follow_up_overdue_dept ON tracking.follow_up_assignments (dept, overdue_since, id)
      WHERE overdue`);

    await q.query(`CREATE TABLE tracking.overdue_counts (
      dept text NOT NULL,
      kind text NOT NULL,
      level smallint NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (dept, kind, level)
    )`);
    await q.query(`CREATE TABLE tracking.overdue_count_changes (
      id bigserial PRIMARY KEY,
      dept text NOT NULL,
      kind text NOT NULL,
      level smallint NOT NULL,
      delta smallint NOT NULL
    )`);
    await q.query(`CREATE FUNCTION tracking.overdue_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.overdue THEN
          INSERT INTO tracking.overdue_count_changes (dept, kind, level, delta)
          VALUES (OLD.dept, coalesce(OLD.overdue_kind, ''), coalesce(OLD.overdue_level, 0), -1);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.overdue THEN
          INSERT INTO tracking.overdue_count_changes (dept, kind, level, delta)
          VALUES (NEW.dept, coalesce(NEW.overdue_kind, ''), coalesce(NEW.overdue_level, 0), 1);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER overdue_count_insert AFTER INSERT ON tracking.follow_up_assignments
      FOR EACH ROW WHEN (NEW.overdue) EXECUTE FUNCTION tracking.overdue_count_change()`);
    await q.query(`CREATE TRIGGER overdue_count_update AFTER UPDATE ON tracking.follow_up_assignments
      FOR EACH ROW WHEN ((OLD.overdue OR NEW.overdue)
        AND (OLD.overdue, OLD.dept, OLD.overdue_kind, OLD.overdue_level)
          IS DISTINCT FROM (NEW.overdue, NEW.dept, NEW.overdue_kind, NEW.overdue_level))
      EXECUTE FUNCTION tracking.overdue_count_change()`);
    await q.query(`CREATE TRIGGER overdue_count_delete AFTER DELETE ON tracking.follow_up_assignments
      FOR EACH ROW WHEN (OLD.overdue) EXECUTE FUNCTION tracking.overdue_count_change()`);
    await q.query(`INSERT INTO tracking.overdue_counts (dept, kind, level, n)
      SELECT dept, coalesce(overdue_kind, ''), coalesce(overdue_level, 0), count(*)
      FROM tracking.follow_up_assignments WHERE overdue GROUP BY 1, 2, 3`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER overdue_count_delete ON tracking.follow_up_assignments');
    await q.query('DROP TRIGGER overdue_count_update ON tracking.follow_up_assignments');
    await q.query('DROP TRIGGER overdue_count_insert ON tracking.follow_up_assignments');
    await q.query('DROP FUNCTION tracking.overdue_count_change()');
    await q.query('DROP TABLE tracking.overdue_count_changes');
    await q.query('DROP TABLE tracking.overdue_counts');
    await q.query('DROP INDEX tracking.follow_up_overdue_dept');
    await q.query(`CREATE INDEX follow_up_open ON tracking.follow_up_assignments (ack_deadline, feedback_deadline)
      WHERE issued AND lifted_at IS NULL AND lift_confirmed_at IS NULL AND not_applicable_at IS NULL
        AND (acknowledged_at IS NULL OR enforced_at IS NULL)`);
    await q.query('DROP INDEX tracking.follow_up_next_mark');
    await q.query('ALTER TABLE tracking.follow_up_assignments DROP COLUMN next_mark_at');
  }
}
