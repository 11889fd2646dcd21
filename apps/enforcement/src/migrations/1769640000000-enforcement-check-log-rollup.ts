import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  createDaySql,
  createDefaultSql,
  createMonthSql,
  partitionsOf,
  rangeOfPartition,
} from '@credit/persistence';

/** The rollups of the check log (decision 0072), partitioned as the check log is and dropped with it. */
export const CHECK_LOG_ROLLUPS = ['enforcement.check_counts', 'enforcement.check_subjects'];

/** The UTC hour a check falls in, whatever the session's time zone (Beijing days are whole hours of it). */
export const CHECK_HOUR = (column: string) =>
  `(date_trunc('hour', ${column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;

const HIT = (alias: string) => `jsonb_array_length(${alias}.reasons) > 0`;

/** Counts of the checks in `source` (an alias `c` of check rows), as upserted into `check_counts`. */
export const COUNTS_FROM = (source: string) => `
  INSERT INTO enforcement.check_counts AS r (hour, dept, action, stage, decision, checks, hits, decided)
  SELECT ${CHECK_HOUR('c.checked_at')}, c.dept, c.action, coalesce(c.stage, ''), c.decision,
    count(*), count(*) FILTER (WHERE ${HIT('c')}), 0
  FROM ${source} c GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (dept, hour, action, stage, decision) DO UPDATE
  SET checks = r.checks + EXCLUDED.checks, hits = r.hits + EXCLUDED.hits`;

/** Checks per subject of the checks in `source`, as upserted into `check_subjects`. */
export const SUBJECTS_FROM = (source: string) => `
  INSERT INTO enforcement.check_subjects AS r (hour, dept, subject_id, checks, hits, last_checked_at)
  SELECT ${CHECK_HOUR('c.checked_at')}, c.dept, c.subject_id, count(*), count(*) FILTER (WHERE ${HIT('c')}),
    max(c.checked_at)
  FROM ${source} c GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (dept, hour, subject_id) DO UPDATE
  SET checks = r.checks + EXCLUDED.checks, hits = r.hits + EXCLUDED.hits,
    last_checked_at = GREATEST(r.last_checked_at, EXCLUDED.last_checked_at)`;

/**
 * Checks decided for the first time by the decisions in `added` (no decision of theirs outside it), as
 * `decided` upserted into `check_counts`.
 */
const DECIDED_FROM = (added: string) => `
  INSERT INTO enforcement.check_counts AS r (hour, dept, action, stage, decision, checks, hits, decided)
  SELECT ${CHECK_HOUR('c.checked_at')}, c.dept, c.action, coalesce(c.stage, ''), c.decision, 0, 0, count(*)
  FROM (SELECT DISTINCT check_id, checked_at FROM ${added}) n
  JOIN enforcement.checks c ON c.id = n.check_id AND c.checked_at = n.checked_at
  WHERE NOT EXISTS (
    SELECT 1 FROM enforcement.check_decisions d
    WHERE d.check_id = n.check_id AND d.checked_at = n.checked_at
      AND NOT EXISTS (SELECT 1 FROM ${added} a
        WHERE a.check_id = d.check_id AND a.assignment_id = d.assignment_id AND a.checked_at = d.checked_at))
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (dept, hour, action, stage, decision) DO UPDATE SET decided = r.decided + EXCLUDED.decided`;

/** The checks an UPDATE moved to another subject (anonymisation), per hour, department and subject. */
const MOVES = `(
  SELECT ${CHECK_HOUR('o.checked_at')} AS hour, o.dept, o.subject_id AS before, n.subject_id AS after,
    count(*) AS checks, count(*) FILTER (WHERE ${HIT('o')}) AS hits, max(o.checked_at) AS last_checked_at
  FROM moved_from o JOIN moved_to n ON n.id = o.id AND n.checked_at = o.checked_at
  WHERE n.subject_id <> o.subject_id GROUP BY 1, 2, 3, 4)`;

/** The hourly per-subject rollup's table (partitions made apart). */
export const CHECK_SUBJECTS_TABLE = `CREATE TABLE enforcement.check_subjects (
      hour timestamptz NOT NULL,
      dept text NOT NULL,
      subject_id text NOT NULL,
      checks bigint NOT NULL,
      hits bigint NOT NULL,
      last_checked_at timestamptz NOT NULL,
      CONSTRAINT check_subjects_pkey PRIMARY KEY (dept, hour, subject_id)
    ) PARTITION BY RANGE (hour)`;

/** The body of `check_subjects_moved()`: an anonymised subject's hourly rows move to its pseudonym. */
export const CHECK_SUBJECTS_MOVED = `        UPDATE enforcement.check_subjects r SET checks = r.checks - m.checks, hits = r.hits - m.hits
        FROM (SELECT hour, dept, before, sum(checks) AS checks, sum(hits) AS hits
              FROM ${MOVES} m GROUP BY 1, 2, 3) m
        WHERE r.dept = m.dept AND r.hour = m.hour AND r.subject_id = m.before;
        DELETE FROM enforcement.check_subjects r USING ${MOVES} m
        WHERE r.dept = m.dept AND r.hour = m.hour AND r.subject_id = m.before AND r.checks <= 0;
        INSERT INTO enforcement.check_subjects AS r (hour, dept, subject_id, checks, hits, last_checked_at)
        SELECT hour, dept, after, sum(checks), sum(hits), max(last_checked_at)
        FROM ${MOVES} m GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (dept, hour, subject_id) DO UPDATE
        SET checks = r.checks + EXCLUDED.checks, hits = r.hits + EXCLUDED.hits,
          last_checked_at = GREATEST(r.last_checked_at, EXCLUDED.last_checked_at);
        RETURN NULL;`;

/** `table` partitioned with the check log's ranges (a day or a month each) and a default partition. */
export async function partitionLikeCheckLog(q: QueryRunner, table: string): Promise<void> {
  for (const name of await partitionsOf(q, 'enforcement.checks')) {
    const range = rangeOfPartition('enforcement.checks', name);
    if (!range) continue;
    const daily = range.to.getTime() - range.from.getTime() <= 86_400_000;
    await q.query(daily ? createDaySql(table, range.from) : createMonthSql(table, range.from));
  }
  await q.query(createDefaultSql(table));
}

/** An anonymised subject's hourly rows move to its pseudonym: the function and its statement trigger. */
export async function createCheckSubjectsMoved(q: QueryRunner): Promise<void> {
  await q.query(`CREATE FUNCTION enforcement.check_subjects_moved() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
${CHECK_SUBJECTS_MOVED}
    END $$`);
  await q.query(`CREATE TRIGGER checks_subject_moved AFTER UPDATE ON enforcement.checks
    REFERENCING OLD TABLE AS moved_from NEW TABLE AS moved_to FOR EACH STATEMENT
    EXECUTE FUNCTION enforcement.check_subjects_moved()`);
}

/**
 * Decision 0072: the supervisors' check-log summary read from rollups kept by the check log's own writes.
 * `check_counts` (per UTC hour × department × action × stage × answer: checks, hits, checks decided) and
 * `check_subjects` (per UTC hour × department × subject: checks, hits, last check) are upserted by
 * statement triggers on `checks` and `check_decisions` with transition tables — in the statement that
 * writes the rows (the flush's COPY, one INSERT), so O(rows written), and rolled back with it. Both are
 * partitioned by `hour` with the check log's ranges (a day or a month each) so that the log maintainer
 * drops them with the check log's days. The rows already logged are rolled up once here.
 */
export class EnforcementCheckLogRollup1769640000000 implements MigrationInterface {
  name = 'EnforcementCheckLogRollup1769640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE enforcement.check_counts (
      hour timestamptz NOT NULL,
      dept text NOT NULL,
      action text NOT NULL,
      stage text NOT NULL, -- '' for a check without a stage: a key column cannot be NULL
      decision text NOT NULL,
      checks bigint NOT NULL,
      hits bigint NOT NULL,
      decided bigint NOT NULL,
      CONSTRAINT check_counts_pkey PRIMARY KEY (dept, hour, action, stage, decision)
    ) PARTITION BY RANGE (hour)`);
    await q.query(CHECK_SUBJECTS_TABLE);
    // the same ranges as the check log's partitions: the maintainer drops a range of both at once
    for (const rollup of CHECK_LOG_ROLLUPS) await partitionLikeCheckLog(q, rollup);
    await q.query(COUNTS_FROM('enforcement.checks'));
    await q.query(SUBJECTS_FROM('enforcement.checks'));
    await q.query(DECIDED_FROM('enforcement.check_decisions'));

    await q.query(`CREATE FUNCTION enforcement.check_log_rolled_up() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        ${COUNTS_FROM('added')};
        ${SUBJECTS_FROM('added')};
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER checks_rollup AFTER INSERT ON enforcement.checks
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION enforcement.check_log_rolled_up()`);
    await q.query(`CREATE FUNCTION enforcement.check_decisions_rolled_up() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        ${DECIDED_FROM('added')};
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER check_decisions_rollup AFTER INSERT ON enforcement.check_decisions
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT
      EXECUTE FUNCTION enforcement.check_decisions_rolled_up()`);
    // a subject anonymised (its checks moved to the pseudonym) moves in the rollup too: the identifier
    // must not outlive it there
    await createCheckSubjectsMoved(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER checks_subject_moved ON enforcement.checks`);
    await q.query(`DROP TRIGGER check_decisions_rollup ON enforcement.check_decisions`);
    await q.query(`DROP TRIGGER checks_rollup ON enforcement.checks`);
    await q.query(`DROP FUNCTION enforcement.check_subjects_moved()`);
    await q.query(`DROP FUNCTION enforcement.check_decisions_rolled_up()`);
    await q.query(`DROP FUNCTION enforcement.check_log_rolled_up()`);
    for (const rollup of CHECK_LOG_ROLLUPS) await q.query(`DROP TABLE ${rollup}`);
  }
}
