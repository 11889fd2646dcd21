import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  addDays,
  createDaySql,
  createDefaultSql,
  createMonthSql,
  partitionsOf,
  rangeOfPartition,
} from '@credit/persistence';

/** The first instant of a check's Beijing day (the summary's days, and the console's). */
export const BEIJING_DAY = (column: string) =>
  `(date_trunc('day', ${column} AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;

/** A subject's 64-bit hash: the distinct-subject sketch keeps the smallest of them (decision 0079). */
export const SUBJECT_HASH = (column: string) => `hashtextextended(${column}, 0)`;

const HIT = (alias: string) => `jsonb_array_length(${alias}.reasons) > 0`;

/** The checks in `source` (an alias `c` of check rows) per Beijing day, department and subject. */
export const SUBJECT_DAYS_FROM = (source: string) => `
  INSERT INTO enforcement.check_subject_days AS r
    (day, dept, subject_id, subject_hash, checks, hits, last_checked_at)
  SELECT ${BEIJING_DAY('c.checked_at')}, c.dept, c.subject_id, ${SUBJECT_HASH('c.subject_id')}, count(*),
    count(*) FILTER (WHERE ${HIT('c')}), max(c.checked_at)
  FROM ${source} c GROUP BY 1, 2, 3 ORDER BY 2, 3, 1
  ON CONFLICT (dept, subject_id, day) DO UPDATE
  SET checks = r.checks + EXCLUDED.checks, hits = r.hits + EXCLUDED.hits,
    last_checked_at = GREATEST(r.last_checked_at, EXCLUDED.last_checked_at)`;

/** The checks an UPDATE moved to another subject (anonymisation), per Beijing day, department, subject. */
const MOVES = `(
  SELECT ${BEIJING_DAY('o.checked_at')} AS day, o.dept, o.subject_id AS before, n.subject_id AS after,
    count(*) AS checks, count(*) FILTER (WHERE ${HIT('o')}) AS hits, max(o.checked_at) AS last_checked_at
  FROM moved_from o JOIN moved_to n ON n.id = o.id AND n.checked_at = o.checked_at
  WHERE n.subject_id <> o.subject_id GROUP BY 1, 2, 3, 4)`;

/** The body of `check_subject_days_moved()`: an anonymised subject's days move to its pseudonym. */
export const CHECK_SUBJECT_DAYS_MOVED = `        UPDATE enforcement.check_subject_days r SET checks = r.checks - m.checks, hits = r.hits - m.hits
        FROM (SELECT day, dept, before, sum(checks) AS checks, sum(hits) AS hits
              FROM ${MOVES} m GROUP BY 1, 2, 3) m
        WHERE r.dept = m.dept AND r.subject_id = m.before AND r.day = m.day;
        DELETE FROM enforcement.check_subject_days r USING ${MOVES} m
        WHERE r.dept = m.dept AND r.subject_id = m.before AND r.day = m.day AND r.checks <= 0;
        INSERT INTO enforcement.check_subject_days AS r
          (day, dept, subject_id, subject_hash, checks, hits, last_checked_at)
        SELECT day, dept, after, ${SUBJECT_HASH('after')}, sum(checks), sum(hits), max(last_checked_at)
        FROM ${MOVES} m GROUP BY 1, 2, 3 ORDER BY 2, 3, 1
        ON CONFLICT (dept, subject_id, day) DO UPDATE
        SET checks = r.checks + EXCLUDED.checks, hits = r.hits + EXCLUDED.hits,
          last_checked_at = GREATEST(r.last_checked_at, EXCLUDED.last_checked_at);
        RETURN NULL;`;

/**
 * Decision 0079: the check-log summary's subjects by Beijing day — `check_subject_days` (per Beijing day ×
 * department × subject: checks, hits, last check, and the subject's 64-bit hash), kept like the hourly
 * rollups of decision 0072 by a statement trigger on `checks` in the statement that writes the rows.
 * Two indexes answer a period of whole days without reading its subjects: `(dept, checks DESC,
 * subject_id)` gives a day's most checked in order, `(dept, subject_hash) INCLUDE (day)` the smallest
 * hashes of the period's subjects (the distinct count's sketch) from the index alone. Partitioned by `day` with the check log's ranges: a
 * Beijing day's rows sit in the UTC day it starts in (16:00 UTC) and are dropped with it — the day's last
 * 16 hours of checks outlive them by a day at the retention's edge, never the other way round.
 */
export class EnforcementCheckSubjectDays1769650000000 implements MigrationInterface {
  name = 'EnforcementCheckSubjectDays1769650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE enforcement.check_subject_days (
      day timestamptz NOT NULL,
      dept text NOT NULL,
      subject_id text NOT NULL,
      subject_hash bigint NOT NULL,
      checks bigint NOT NULL,
      hits bigint NOT NULL,
      last_checked_at timestamptz NOT NULL,
      CONSTRAINT check_subject_days_pkey PRIMARY KEY (dept, subject_id, day)
    ) PARTITION BY RANGE (day)`);
    await q.query(
      `CREATE INDEX check_subject_days_top ON enforcement.check_subject_days (dept, checks DESC, subject_id)`,
    );
    await q.query(
      `CREATE INDEX check_subject_days_hash ON enforcement.check_subject_days (dept, subject_hash) INCLUDE (day)`,
    );
    const ranges = (await partitionsOf(q, 'enforcement.checks'))
      .map((name) => rangeOfPartition('enforcement.checks', name))
      .filter((range) => range !== undefined);
    for (const range of ranges) {
      const daily = range.to.getTime() - range.from.getTime() <= 86_400_000;
      await q.query(
        daily
          ? createDaySql('enforcement.check_subject_days', range.from)
          : createMonthSql('enforcement.check_subject_days', range.from),
      );
    }
    // the first logged day's Beijing day began the UTC day before (16:00): its own day, not the default
    const days = ranges.filter((r) => r.to.getTime() - r.from.getTime() <= 86_400_000);
    const first = days.reduce<Date | undefined>((a, r) => (!a || r.from < a ? r.from : a), undefined);
    if (first && !ranges.some((r) => r.from < first && r.to >= first))
      await q.query(createDaySql('enforcement.check_subject_days', addDays(first, -1)));
    await q.query(createDefaultSql('enforcement.check_subject_days'));
    // the checks logged so far, from their hourly rollup (Beijing days are whole UTC hours)
    await q.query(`INSERT INTO enforcement.check_subject_days
        (day, dept, subject_id, subject_hash, checks, hits, last_checked_at)
      SELECT ${BEIJING_DAY('s.hour')}, s.dept, s.subject_id, ${SUBJECT_HASH('s.subject_id')}, sum(s.checks),
        sum(s.hits), max(s.last_checked_at)
      FROM enforcement.check_subjects s GROUP BY 1, 2, 3`);

    await q.query(`CREATE FUNCTION enforcement.check_subject_days_rolled_up() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        ${SUBJECT_DAYS_FROM('added')};
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER checks_subject_days AFTER INSERT ON enforcement.checks
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT
      EXECUTE FUNCTION enforcement.check_subject_days_rolled_up()`);
    // an anonymised subject's days move to its pseudonym: the identifier must not outlive it here either
    await q.query(`CREATE FUNCTION enforcement.check_subject_days_moved() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
${CHECK_SUBJECT_DAYS_MOVED}
      END $$`);
    await q.query(`CREATE TRIGGER checks_subject_day_moved AFTER UPDATE ON enforcement.checks
      REFERENCING OLD TABLE AS moved_from NEW TABLE AS moved_to FOR EACH STATEMENT
      EXECUTE FUNCTION enforcement.check_subject_days_moved()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER checks_subject_day_moved ON enforcement.checks`);
    await q.query(`DROP TRIGGER checks_subject_days ON enforcement.checks`);
    await q.query(`DROP FUNCTION enforcement.check_subject_days_moved()`);
    await q.query(`DROP FUNCTION enforcement.check_subject_days_rolled_up()`);
    await q.query(`DROP TABLE enforcement.check_subject_days`);
  }
}
