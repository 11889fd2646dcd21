import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Principal, supervisedRegion } from '@credit/auth';
import { CHECK_DECISIONS, CHECK_STAGES } from '@credit/contracts';
import { looksLikeIdNumber } from '@credit/identifiers';
import { maskIdentifier } from '@credit/platform';
import { deptInRegion } from '../access/region-scope';
import { ENFORCEMENT_DB } from '../enforcement.tokens';

export class CheckLogSummaryQuery {
  @ApiPropertyOptional({ description: 'checks at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'checks before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ description: 'the department whose systems checked' })
  @IsOptional()
  @IsString()
  dept?: string;

  @ApiPropertyOptional({ description: 'most-checked subjects listed per department', default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  top?: number;
}

type Counted = { dept: string; checks: number; hits: number };

const HOUR_MS = 3_600_000;

/** A half-open span of time; an end left out is unbounded. */
export interface Span {
  from?: Date;
  to?: Date;
}

/**
 * How a period is read (decision 0072): the whole UTC hours inside it from the rollups, the part of an
 * hour at either end (a period not on the hour) from the check log's rows. A period within one hour is
 * read from rows only.
 */
export function summaryReads(period: Span): { rollup: Span | null; rows: Span[] } {
  const { from, to } = period;
  const start = from && new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  const end = to && new Date(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS);
  if (start && end && start >= end) return { rollup: null, rows: from! < to! ? [{ from, to }] : [] };
  const rows: Span[] = [];
  if (from && start && from < start) rows.push({ from, to: start });
  if (to && end && end < to) rows.push({ from: end, to });
  return { rollup: { from: start, to: end }, rows };
}

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * HOUR_MS;

/** Whether a period is whole Beijing days: each end on a day's start, or left out (decision 0079). */
export function wholeBeijingDays(period: Span): boolean {
  const on = (at?: Date) => !at || (at.getTime() + BEIJING_MS) % DAY_MS === 0;
  return on(period.from) && on(period.to);
}

/** Distinct subjects counted exactly up to this many a department; estimated above it (decision 0079). */
export const SUBJECT_SKETCH = 4096;

/**
 * The distinct count from the `kept` smallest distinct 64-bit hashes of a set, at most `k` of them
 * (k minimum values): fewer than `k` are the set itself; `k` of them, the largest at `u` of the hash
 * range, estimate (k − 1) / u (relative error ~1/√(k − 2): 1.6 % at 4,096).
 */
export function distinctFromSketch(
  kept: number,
  largest: bigint | null,
  k = SUBJECT_SKETCH,
): { count: number; estimated: boolean } {
  if (kept < k || largest === null) return { count: kept, estimated: false };
  const u = Number(largest + 2n ** 63n + 1n) / 2 ** 64;
  return { count: Math.round((k - 1) / u), estimated: true };
}

/** The check's UTC hour in SQL, as the rollups key it (Beijing days are whole UTC hours). */
const hourOf = (column: string) => `(date_trunc('hour', ${column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
const HIT = 'jsonb_array_length(c.reasons) > 0';
/** Memory for the summary's subject reads' sorts and hashes (per query, for that transaction only). */
const SUMMARY_WORK_MEM = '64MB';

/** A most-checked subject; `subjects`, the department's count, where the ranking pass counted them. */
type SubjectRow = Counted & { subject_id: string; last_checked_at: Date; subjects?: number };

/** A department's subjects in the period: how many (exact, or estimated) and the most checked. */
interface Subjects {
  subjects: number;
  subjectsEstimated: boolean;
  top: SubjectRow[];
  /** the most checked could not be proven complete from each day's most checked (several days) */
  topEstimated: boolean;
}

/**
 * How often departments check (核查频次), for supervisors: per department the checks, distinct subjects,
 * hits and what was decided about them, by answer, action, stage and Beijing day, and the subjects it
 * checked most. A person's ID number is masked unless the reader is an admin, as in the check log.
 * Whole hours are read from the rollups the check log's writes keep (`check_counts`, `check_subjects`,
 * decision 0072), what is left of an hour at either end of the period from the log's rows.
 */
@Injectable()
export class CheckLogSummaryQueries {
  constructor(@Inject(ENFORCEMENT_DB) private readonly db: DataSource) {}

  async summary(principal: Principal, query: CheckLogSummaryQuery) {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const depts: string[] = [];
    if (query.dept) depts.push(`c.dept = ${param(query.dept)}`);
    const region = supervisedRegion(principal);
    if (region !== undefined) depts.push(deptInRegion('c.dept', param(region))); // a region's supervisor: its region only
    // the period's ends as PostgreSQL reads them (a date alone, a time without an offset: the session's zone)
    const [ends]: { from: Date | null; to: Date | null }[] = await this.db.query(
      `SELECT $1::timestamptz AS "from", $2::timestamptz AS "to"`,
      [query.from ?? null, query.to ?? null],
    );
    const reads = summaryReads({ from: ends.from ?? undefined, to: ends.to ?? undefined });
    // each end a parameter once, used by every column it bounds: every query sends the same parameters
    const spanOf = (span: Span) => {
      const from = span.from && param(span.from);
      const to = span.to && param(span.to);
      return (column: string) => [
        ...(from ? [`${column} >= ${from}`] : []),
        ...(to ? [`${column} < ${to}`] : []),
      ];
    };
    const where = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');
    const counts: string[] = [];
    const subjects: string[] = [];
    if (reads.rollup) {
      const filter = where([...depts, ...spanOf(reads.rollup)('c.hour')]);
      counts.push(`SELECT c.dept, c.hour, c.action, c.stage, c.decision, c.checks, c.hits, c.decided
        FROM enforcement.check_counts c ${filter}`);
      subjects.push(`SELECT c.dept, c.subject_id, c.checks, c.hits, c.last_checked_at
        FROM enforcement.check_subjects c ${filter}`);
    }
    for (const span of reads.rows) {
      const within = spanOf(span);
      const filter = where([...depts, ...within('c.checked_at')]);
      // the decided checks by a join, not a subquery per check: over a table of daily partitions a
      // correlated subquery costs each check a walk of the partitions (~60 µs: a minute for 850k)
      counts.push(`SELECT c.dept, ${hourOf('c.checked_at')}, c.action, coalesce(c.stage, ''), c.decision,
          count(*), count(*) FILTER (WHERE ${HIT}), count(d.check_id)
        FROM enforcement.checks c
        LEFT JOIN (SELECT DISTINCT d.check_id, d.checked_at FROM enforcement.check_decisions d
          ${where(within('d.checked_at'))}) d ON d.check_id = c.id AND d.checked_at = c.checked_at
        ${filter} GROUP BY 1, 2, 3, 4, 5`);
      subjects.push(`SELECT c.dept, c.subject_id, count(*), count(*) FILTER (WHERE ${HIT}), max(c.checked_at)
        FROM enforcement.checks c ${filter} GROUP BY 1, 2`);
    }
    const none = (columns: string) => `SELECT ${columns} WHERE false`;
    const countsSql = `WITH counts (dept, hour, action, stage, decision, checks, hits, decided) AS (${
      counts.join(' UNION ALL ') ||
      none(`''::text, now(), ''::text, ''::text, ''::text, 0::bigint, 0::bigint, 0::bigint`)
    })`;
    const subjectsSql = `WITH subjects (dept, subject_id, checks, hits, last_checked_at) AS (${
      subjects.join(' UNION ALL ') || none(`''::text, ''::text, 0::bigint, 0::bigint, now()`)
    })`;
    const run = <T>(sql: string, extra: unknown[] = []) =>
      this.db.query(sql, [...params, ...extra]) as Promise<T[]>;

    const limit = query.top ?? 10;
    const byDays = wholeBeijingDays({ from: ends.from ?? undefined, to: ends.to ?? undefined });
    const [totals, byDecision, byStage, byAction, daily, byHours] = await Promise.all([
      run<Counted & { decided: number }>(
        `${countsSql} SELECT dept, sum(checks)::int AS checks, sum(hits)::int AS hits,
           sum(decided)::int AS decided
         FROM counts GROUP BY dept HAVING sum(checks) > 0 ORDER BY dept`,
      ),
      run<{ dept: string; decision: string; checks: number }>(
        `${countsSql} SELECT dept, decision, sum(checks)::int AS checks FROM counts GROUP BY 1, 2`,
      ),
      run<{ dept: string; stage: string; checks: number }>(
        `${countsSql} SELECT dept, stage, sum(checks)::int AS checks FROM counts GROUP BY 1, 2`,
      ),
      run<Counted & { action: string }>(
        `${countsSql} SELECT dept, action, sum(checks)::int AS checks, sum(hits)::int AS hits
         FROM counts GROUP BY 1, 2 HAVING sum(checks) > 0 ORDER BY 1, 3 DESC, 2`,
      ),
      run<Counted & { day: string }>(
        `${countsSql} SELECT dept, to_char(hour AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day,
           sum(checks)::int AS checks, sum(hits)::int AS hits
         FROM counts GROUP BY 1, 2 HAVING sum(checks) > 0 ORDER BY 1, 2`,
      ),
      byDays
        ? Promise.resolve(undefined)
        : this.subjectsByHours(subjectsSql, params, limit, query.dept !== undefined),
    ]);
    const subjectsOf =
      byDays && totals.length > 0
        ? await this.subjectsByDays(
            { from: ends.from ?? undefined, to: ends.to ?? undefined },
            daily.map(({ dept, day }) => ({ dept, day: new Date(`${day}T00:00:00+08:00`) })),
            limit,
          )
        : (byHours ?? new Map<string, Subjects>());
    const inClear = principal.roles.includes('admin');
    const of = <T extends { dept: string }>(rows: T[], dept: string) => rows.filter((r) => r.dept === dept);
    return {
      period: { from: query.from ?? null, to: query.to ?? null },
      items: totals.map((t) => ({
        dept: t.dept,
        checks: t.checks,
        subjects: subjectsOf.get(t.dept)?.subjects ?? 0,
        subjectsEstimated: subjectsOf.get(t.dept)?.subjectsEstimated ?? false,
        hits: t.hits,
        hitsDecided: t.decided,
        byDecision: Object.fromEntries(
          CHECK_DECISIONS.map((d) => [d, of(byDecision, t.dept).find((r) => r.decision === d)?.checks ?? 0]),
        ),
        byStage: Object.fromEntries(
          [...CHECK_STAGES, null].map((s) => [
            s ?? 'unspecified',
            of(byStage, t.dept).find((r) => r.stage === (s ?? ''))?.checks ?? 0,
          ]),
        ),
        byAction: of(byAction, t.dept).map(({ action, checks, hits }) => ({ action, checks, hits })),
        daily: of(daily, t.dept).map(({ day, checks, hits }) => ({ day, checks, hits })),
        topSubjects: (subjectsOf.get(t.dept)?.top ?? []).slice(0, limit).map((s) => ({
          subjectId:
            inClear || !looksLikeIdNumber(s.subject_id) ? s.subject_id : maskIdentifier(s.subject_id),
          checks: s.checks,
          hits: s.hits,
          lastCheckedAt: s.last_checked_at.toISOString(),
        })),
        topSubjectsEstimated: subjectsOf.get(t.dept)?.topEstimated ?? false,
      })),
      nextCursor: null,
    };
  }

  /**
   * A period not of whole Beijing days, from the hourly rollup and the rows (exact; O(subject-hours)).
   * One department: its subjects counted, and its most checked by a bounded top-n sort (two reads, side
   * by side); several: one pass ranking each department's, counting them on the way (decision 0078).
   */
  private async subjectsByHours(
    subjectsSql: string,
    params: unknown[],
    limit: number,
    oneDept: boolean,
  ): Promise<Map<string, Subjects>> {
    const top = `$${params.length + 1}::int`; // at least one: greatest() below
    // the subject reads group a row per subject-hour of the period (~460k for a department's day at a
    // tenth of national volume): with the default work_mem their sorts spill to disk (docs/scale.md)
    const runSorted = <T>(sql: string, extra: unknown[] = []) =>
      this.db.transaction(async (m) => {
        await m.query(`SET LOCAL work_mem = '${SUMMARY_WORK_MEM}'`);
        return (await m.query(sql, [...params, ...extra])) as T[];
      });
    const [counted, ranked] = await Promise.all([
      oneDept
        ? runSorted<{ dept: string; subjects: number }>(
            `${subjectsSql} SELECT dept, count(*)::int AS subjects
             FROM (SELECT dept, subject_id FROM subjects GROUP BY 1, 2) s GROUP BY dept`,
          )
        : Promise.resolve(undefined),
      oneDept
        ? runSorted<SubjectRow>(
            `${subjectsSql} SELECT dept, subject_id, sum(checks)::int AS checks, sum(hits)::int AS hits,
               max(last_checked_at) AS last_checked_at
             FROM subjects GROUP BY 1, 2 ORDER BY sum(checks) DESC, subject_id LIMIT greatest(${top}, 1)`,
            [limit],
          )
        : // (at the default work_mem: for every department's 17 M subject-hours of a day at a tenth the
          // planner's hash aggregate with 64 MB was slower than its sort, 59–66 s against 42–58)
          (this.db.query(
            `${subjectsSql} SELECT dept, subject_id, checks, hits, last_checked_at, subjects FROM (
               SELECT dept, subject_id, sum(checks)::int AS checks, sum(hits)::int AS hits,
                 max(last_checked_at) AS last_checked_at, (count(*) OVER (PARTITION BY dept))::int AS subjects,
                 row_number() OVER (PARTITION BY dept ORDER BY sum(checks) DESC, subject_id) AS n
               FROM subjects GROUP BY 1, 2) s
             WHERE n <= greatest(${top}, 1) ORDER BY dept, n`,
            [...params, limit],
          ) as Promise<SubjectRow[]>),
    ]);
    const out = new Map<string, Subjects>();
    for (const row of ranked) {
      const dept = out.get(row.dept) ?? {
        subjects: 0,
        subjectsEstimated: false,
        top: [],
        topEstimated: false,
      };
      dept.subjects = row.subjects ?? dept.subjects;
      dept.top.push(row);
      out.set(row.dept, dept);
    }
    for (const { dept, subjects } of counted ?? [])
      out.set(dept, {
        ...(out.get(dept) ?? { top: [], topEstimated: false, subjectsEstimated: false }),
        subjects,
      });
    return out;
  }

  /**
   * A period of whole Beijing days (decision 0079), from `check_subject_days` without reading its
   * subjects: per department the smallest `SUBJECT_SKETCH` distinct subject hashes of the period (a merge
   * of each day's index, exact below that many, estimated above); the most checked from each of its days'
   * `limit` most checked (an index each), their totals over the period summed exactly. One day's are
   * exact; over several, a subject in no day's list checked at most the sum of each day's `limit`-th
   * count, so the list is proven complete when its last exceeds that sum, and marked estimated if not.
   */
  private async subjectsByDays(
    period: Span,
    days: { dept: string; day: Date }[],
    limit: number,
  ): Promise<Map<string, Subjects>> {
    const depts = [...new Set(days.map((d) => d.dept))];
    // a day's key is its first instant (16:00 UTC), in the UTC day's partition: the last day's key is
    // a day before the end, which leaves the partition of the end's UTC day out of the plan
    const lastDay = period.to && new Date(period.to.getTime() - DAY_MS);
    const span = (params: unknown[]) =>
      [
        ...(period.from ? [`c.day >= $${params.push(period.from)}`] : []),
        ...(lastDay ? [`c.day <= $${params.push(lastDay)}`] : []),
      ]
        .map((c) => ` AND ${c}`)
        .join('');
    const sketchParams: unknown[] = [depts, SUBJECT_SKETCH];
    const topParams: unknown[] = [days.map((d) => d.dept), days.map((d) => d.day), limit];
    const [sketches, ranked] = await Promise.all([
      this.db.query(
        `SELECT d.dept, count(*)::int AS kept, max(h.subject_hash)::text AS largest
         FROM unnest($1::text[]) d (dept) CROSS JOIN LATERAL (
           SELECT DISTINCT c.subject_hash FROM enforcement.check_subject_days c
           WHERE c.dept = d.dept${span(sketchParams)} ORDER BY c.subject_hash LIMIT $2) h
         GROUP BY d.dept`,
        sketchParams,
      ) as Promise<{ dept: string; kept: number; largest: string | null }[]>,
      limit === 0
        ? Promise.resolve([])
        : (this.db.query(
            `WITH picked AS (
               SELECT k.dept, k.day, t.subject_id, t.checks
               FROM unnest($1::text[], $2::timestamptz[]) k (dept, day) CROSS JOIN LATERAL (
                 SELECT c.subject_id, c.checks FROM enforcement.check_subject_days c
                 WHERE c.dept = k.dept AND c.day = k.day ORDER BY c.checks DESC, c.subject_id LIMIT $3) t),
             bound AS (
               SELECT dept, count(*)::int AS days, sum(last)::bigint AS bound
               FROM (SELECT dept, day, CASE WHEN count(*) = $3 THEN min(checks) ELSE 0 END AS last
                     FROM picked GROUP BY 1, 2) d
               GROUP BY dept),
             totals AS (
               SELECT c.dept, c.subject_id, sum(c.checks)::int AS checks, sum(c.hits)::int AS hits,
                 max(c.last_checked_at) AS last_checked_at,
                 row_number() OVER (PARTITION BY c.dept ORDER BY sum(c.checks) DESC, c.subject_id) AS n
               FROM (SELECT DISTINCT dept, subject_id FROM picked) p
               JOIN enforcement.check_subject_days c ON c.dept = p.dept AND c.subject_id = p.subject_id
                 ${span(topParams)}
               GROUP BY 1, 2)
             SELECT t.dept, t.subject_id, t.checks, t.hits, t.last_checked_at, b.days, b.bound::text AS bound
             FROM totals t JOIN bound b USING (dept) WHERE t.n <= $3 ORDER BY t.dept, t.n`,
            topParams,
          ) as Promise<(SubjectRow & { days: number; bound: string })[]>),
    ]);
    const out = new Map<string, Subjects>();
    for (const { dept, kept, largest } of sketches) {
      const { count, estimated } = distinctFromSketch(kept, largest === null ? null : BigInt(largest));
      const top = ranked.filter((r) => r.dept === dept);
      const last = top[top.length - 1];
      const proven = !last || last.days <= 1 || Number(last.bound) === 0 || last.checks > Number(last.bound);
      out.set(dept, { subjects: count, subjectsEstimated: estimated, top, topEstimated: !proven });
    }
    return out;
  }
}
