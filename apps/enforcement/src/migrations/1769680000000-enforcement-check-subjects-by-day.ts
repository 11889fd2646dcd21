import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  CHECK_SUBJECTS_TABLE,
  COUNTS_FROM,
  createCheckSubjectsMoved,
  partitionLikeCheckLog,
  SUBJECTS_FROM,
} from './1769640000000-enforcement-check-log-rollup';
import {
  BEIJING_DAY,
  CHECK_SUBJECT_DAYS_MOVED,
  SUBJECT_DAYS_FROM,
  SUBJECT_HASH,
} from './1769650000000-enforcement-check-subject-days';

const HIT = (alias: string) => `jsonb_array_length(${alias}.reasons) > 0`;

/** A first check kept unknown (NULL: a day rolled up before this migration) stays unknown. */
const EARLIEST = `CASE WHEN r.first_checked_at IS NULL THEN NULL
    ELSE LEAST(r.first_checked_at, EXCLUDED.first_checked_at) END`;

/** `SUBJECT_DAYS_FROM` with each subject-day's first check too. */
const SUBJECT_DAYS_WITH_FIRST = (source: string) => `
  INSERT INTO enforcement.check_subject_days AS r
    (day, dept, subject_id, subject_hash, checks, hits, first_checked_at, last_checked_at)
  SELECT ${BEIJING_DAY('c.checked_at')}, c.dept, c.subject_id, ${SUBJECT_HASH('c.subject_id')}, count(*),
    count(*) FILTER (WHERE ${HIT('c')}), min(c.checked_at), max(c.checked_at)
  FROM ${source} c GROUP BY 1, 2, 3 ORDER BY 2, 3, 1
  ON CONFLICT (dept, subject_id, day) DO UPDATE
  SET checks = r.checks + EXCLUDED.checks, hits = r.hits + EXCLUDED.hits,
    first_checked_at = ${EARLIEST},
    last_checked_at = GREATEST(r.last_checked_at, EXCLUDED.last_checked_at)`;

/** The checks an UPDATE moved to another subject (anonymisation), per Beijing day, department, subject. */
const CHECK_DAY_MOVES = `(
  SELECT ${BEIJING_DAY('o.checked_at')} AS day, o.dept, o.subject_id AS before, n.subject_id AS after,
    count(*) AS checks, count(*) FILTER (WHERE ${HIT('o')}) AS hits, min(o.checked_at) AS first_checked_at,
    max(o.checked_at) AS last_checked_at
  FROM moved_from o JOIN moved_to n ON n.id = o.id AND n.checked_at = o.checked_at
  WHERE n.subject_id <> o.subject_id GROUP BY 1, 2, 3, 4)`;

/** The moved checks' days (decision 0079's moves, with their first check) to the pseudonym. */
const SUBJECT_DAYS_MOVED_WITH_FIRST = `
        UPDATE enforcement.check_subject_days r SET checks = r.checks - m.checks, hits = r.hits - m.hits
        FROM (SELECT day, dept, before, sum(checks) AS checks, sum(hits) AS hits
              FROM ${CHECK_DAY_MOVES} m GROUP BY 1, 2, 3) m
        WHERE r.dept = m.dept AND r.subject_id = m.before AND r.day = m.day;
        DELETE FROM enforcement.check_subject_days r USING ${CHECK_DAY_MOVES} m
        WHERE r.dept = m.dept AND r.subject_id = m.before AND r.day = m.day AND r.checks <= 0;
        INSERT INTO enforcement.check_subject_days AS r
          (day, dept, subject_id, subject_hash, checks, hits, first_checked_at, last_checked_at)
        SELECT day, dept, after, ${SUBJECT_HASH('after')}, sum(checks), sum(hits), min(first_checked_at),
          max(last_checked_at)
        FROM ${CHECK_DAY_MOVES} m GROUP BY 1, 2, 3 ORDER BY 2, 3, 1
        ON CONFLICT (dept, subject_id, day) DO UPDATE
        SET checks = r.checks + EXCLUDED.checks, hits = r.hits + EXCLUDED.hits,
          first_checked_at = ${EARLIEST},
          last_checked_at = GREATEST(r.last_checked_at, EXCLUDED.last_checked_at);
        RETURN NULL;`;

const fn = (name: string, body: string) => `CREATE OR REPLACE FUNCTION enforcement.${name}() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
${body}
  END $$`;

/**
 * Decision 0081: the check-log summary's subjects of any period from the day rollup and the check log —
 * whole Beijing days from `check_subject_days` as decision 0079 reads them, the part of a day at either
 * end of the period from the same day's rows filtered by the subject's first and last check that day
 * (and the log's `(subject_id, checked_at)` index where those two cannot tell), or from the log's rows
 * when that part is small. So:
 * - `check_subject_days.first_checked_at`, kept like `last_checked_at`; NULL for the days rolled up
 *   before (unknown: the summary asks the log for those).
 * - the hourly per-subject rollup `check_subjects` (decision 0072) is read by nothing any more and goes,
 *   with its upsert on every write of the log and its row per subject-hour (~218 B, 17 M a day at a tenth
 *   of national volume). `check_counts` stays.
 */
export class EnforcementCheckSubjectsByDay1769680000000 implements MigrationInterface {
  name = 'EnforcementCheckSubjectsByDay1769680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enforcement.check_subject_days ADD COLUMN first_checked_at timestamptz`);
    await q.query(fn('check_subject_days_rolled_up', `${SUBJECT_DAYS_WITH_FIRST('added')};\nRETURN NULL;`));
    await q.query(fn('check_subject_days_moved', SUBJECT_DAYS_MOVED_WITH_FIRST));

    await q.query(`DROP TRIGGER checks_subject_moved ON enforcement.checks`);
    await q.query(`DROP FUNCTION enforcement.check_subjects_moved()`);
    await q.query(fn('check_log_rolled_up', `${COUNTS_FROM('added')};\nRETURN NULL;`));
    await q.query(`DROP TABLE enforcement.check_subjects`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(CHECK_SUBJECTS_TABLE);
    await partitionLikeCheckLog(q, 'enforcement.check_subjects');
    await q.query(SUBJECTS_FROM('enforcement.checks'));
    await q.query(
      fn('check_log_rolled_up', `${COUNTS_FROM('added')};\n${SUBJECTS_FROM('added')};\nRETURN NULL;`),
    );
    await createCheckSubjectsMoved(q);

    await q.query(fn('check_subject_days_moved', CHECK_SUBJECT_DAYS_MOVED));
    await q.query(fn('check_subject_days_rolled_up', `${SUBJECT_DAYS_FROM('added')};\nRETURN NULL;`));
    await q.query(`ALTER TABLE enforcement.check_subject_days DROP COLUMN first_checked_at`);
  }
}
