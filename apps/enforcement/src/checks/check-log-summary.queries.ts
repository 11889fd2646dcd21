import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Principal, supervisedRegion } from '@credit/auth';
import { CHECK_DECISIONS, CHECK_STAGES } from '@credit/contracts';
import { looksLikeIdNumber } from '@credit/identifiers';
import { maskIdentifier } from '@credit/platform';
import { SUBJECT_HASH } from '../migrations/1769650000000-enforcement-check-subject-days';
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

/** The first instant of the Beijing day `at` falls in. */
const beijingDayOf = (at: Date) =>
  new Date(Math.floor((at.getTime() + BEIJING_MS) / DAY_MS) * DAY_MS - BEIJING_MS);

/** A Beijing day's date (YYYY-MM-DD) from its first instant, as the summary's `daily` names it. */
const beijingDate = (day: Date) => new Date(day.getTime() + BEIJING_MS).toISOString().slice(0, 10);

/** The part of a Beijing day at one end of a period: the day's first instant, and the span in it. */
export interface DayEdge {
  day: Date;
  from: Date;
  to: Date;
}

/**
 * Where a period's subjects are read (decision 0081): its whole Beijing days (`from`, the first day's
 * start, and `last`, the last day's: an end left out is unbounded; null when there is none) from the day
 * rollup as decision 0079 reads them, and the part of a day at either end (at most two) from that day's
 * rows of the rollup or from the log's. A period inside one day is one such part.
 */
export function subjectSources(period: Span): {
  whole: { from?: Date; last?: Date } | null;
  edges: DayEdge[];
} {
  const { from, to } = period;
  if (from && to && from >= to) return { whole: null, edges: [] };
  const fromDay = from && beijingDayOf(from);
  const wholeFrom =
    from && (fromDay!.getTime() === from.getTime() ? from : new Date(fromDay!.getTime() + DAY_MS));
  const wholeTo = to && beijingDayOf(to);
  if (from && to && wholeFrom! > wholeTo!) return { whole: null, edges: [{ day: fromDay!, from, to }] };
  const edges: DayEdge[] = [];
  if (from && from < wholeFrom!) edges.push({ day: fromDay!, from, to: wholeFrom! });
  if (to && wholeTo! < to) edges.push({ day: wholeTo!, from: wholeTo!, to });
  const none = wholeFrom && wholeTo && wholeFrom.getTime() === wholeTo.getTime();
  return {
    whole: none ? null : { from: wholeFrom, last: wholeTo && new Date(wholeTo.getTime() - DAY_MS) },
    edges,
  };
}

/** The day rollup's rows of a period's whole days (`c.day` between the first and last day's keys). */
function inWholeDays(whole: { from?: Date; last?: Date }, params: unknown[]): string {
  return [
    ...(whole.from ? [` AND c.day >= $${params.push(whole.from)}`] : []),
    ...(whole.last ? [` AND c.day <= $${params.push(whole.last)}`] : []),
  ].join('');
}

/** How the summary reads the part of a day at a period's end (decision 0081). */
export interface SummaryPlan {
  /**
   * Read from the log's rows when the department checked at most this many times in it (cheaper than
   * walking the day's subjects for those checked in it); from the day rollup otherwise.
   */
  edgeRows: number;
}

export const SUMMARY_PLAN: SummaryPlan = { edgeRows: 50_000 };

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
const HIT = (alias: string) => `jsonb_array_length(${alias}.reasons) > 0`;

/** A most-checked subject. */
type SubjectRow = Counted & { subject_id: string; last_checked_at: Date };

/** A department's subjects in the period: how many (exact, or estimated) and the most checked. */
interface Subjects {
  subjects: number;
  subjectsEstimated: boolean;
  top: SubjectRow[];
  /** the most checked could not be proven complete from the lists they were ranked among */
  topEstimated: boolean;
}

/**
 * Whether the day rollup's row `c` (of the day a span lies in) is a subject checked in the span `lo`–`hi`:
 * its first and last check that day decide, but for a subject checked before and after the span (or
 * whose first check is unknown), which the log's `(subject_id, checked_at)` index answers.
 */
const CHECKED_WITHIN = (lo: string, hi: string) => `c.last_checked_at >= ${lo}
  AND coalesce(c.first_checked_at, '-infinity') < ${hi}
  AND (c.first_checked_at >= ${lo} OR c.last_checked_at < ${hi} OR EXISTS (
    SELECT 1 FROM enforcement.checks k
    WHERE k.subject_id = c.subject_id AND k.checked_at >= ${lo} AND k.checked_at < ${hi} AND k.dept = c.dept))`;

/**
 * How often departments check (核查频次), for supervisors: per department the checks, distinct subjects,
 * hits and what was decided about them, by answer, action, stage and Beijing day, and the subjects it
 * checked most. A person's ID number is masked unless the reader is an admin, as in the check log.
 * The counts come from the hourly rollup the check log's writes keep (`check_counts`, decision 0072), what
 * is left of an hour at either end of the period from the log's rows; the subjects from the day rollup
 * (`check_subject_days`, decisions 0079 and 0081).
 */
@Injectable()
export class CheckLogSummaryQueries {
  constructor(@Inject(ENFORCEMENT_DB) private readonly db: DataSource) {}

  async summary(principal: Principal, query: CheckLogSummaryQuery, plan: SummaryPlan = SUMMARY_PLAN) {
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
    const period: Span = { from: ends.from ?? undefined, to: ends.to ?? undefined };
    const reads = summaryReads(period);
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
    if (reads.rollup) {
      const filter = where([...depts, ...spanOf(reads.rollup)('c.hour')]);
      counts.push(`SELECT c.dept, c.hour, c.action, c.stage, c.decision, c.checks, c.hits, c.decided
        FROM enforcement.check_counts c ${filter}`);
    }
    for (const span of reads.rows) {
      const within = spanOf(span);
      const filter = where([...depts, ...within('c.checked_at')]);
      // the decided checks by a join, not a subquery per check: over a table of daily partitions a
      // correlated subquery costs each check a walk of the partitions (~60 µs: a minute for 850k)
      counts.push(`SELECT c.dept, ${hourOf('c.checked_at')}, c.action, coalesce(c.stage, ''), c.decision,
          count(*), count(*) FILTER (WHERE ${HIT('c')}), count(d.check_id)
        FROM enforcement.checks c
        LEFT JOIN (SELECT DISTINCT d.check_id, d.checked_at FROM enforcement.check_decisions d
          ${where(within('d.checked_at'))}) d ON d.check_id = c.id AND d.checked_at = c.checked_at
        ${filter} GROUP BY 1, 2, 3, 4, 5`);
    }
    const none = (columns: string) => `SELECT ${columns} WHERE false`;
    const countsSql = `WITH counts (dept, hour, action, stage, decision, checks, hits, decided) AS (${
      counts.join(' UNION ALL ') ||
      none(`''::text, now(), ''::text, ''::text, ''::text, 0::bigint, 0::bigint, 0::bigint`)
    })`;
    const run = <T>(sql: string, extra: unknown[] = []) =>
      this.db.query(sql, [...params, ...extra]) as Promise<T[]>;

    const limit = query.top ?? 10;
    const [totals, byDecision, byStage, byAction, daily] = await Promise.all([
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
    ]);
    const subjectsOf =
      totals.length > 0 ? await this.subjects(period, daily, limit, plan) : new Map<string, Subjects>();
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
   * The departments' subjects in the period (decisions 0079, 0081), never by reading every subject of it:
   * - **how many**: the `SUBJECT_SKETCH` smallest distinct subject hashes of each source — the whole days
   *   (a merge of each day's hash index), each part of a day at an end (that day's hash index, its rows
   *   kept when the subject was checked in the part, or the part's log rows hashed when it is small) —
   *   and of their union the smallest again: exact below that many, estimated above.
   * - **most checked**: ranked among each source's `limit` most checked (a whole day's and a large part's
   *   day's by the day's count, a small part's by its own), their totals over the period exact (the whole
   *   days' rows, the parts' checks counted in the log). A subject in no list was checked in the period at
   *   most the sum of each full list's last count; the ranking is proven complete when its last exceeds
   *   that sum, or when it comes from one list ranked by the period's own counts, and marked estimated
   *   otherwise.
   */
  private async subjects(
    period: Span,
    daily: (Counted & { day: string })[],
    limit: number,
    plan: SummaryPlan,
  ): Promise<Map<string, Subjects>> {
    const { whole, edges } = subjectSources(period);
    const depts = [...new Set(daily.map((d) => d.dept))];
    if (depts.length === 0 || (!whole && edges.length === 0)) return new Map();
    const checksIn = (dept: string, edge: DayEdge) =>
      daily.find((d) => d.dept === dept && d.day === beijingDate(edge.day))?.checks ?? 0;
    // per department and part of a day: from the log's rows (small), or from the day rollup's
    const byRows = edges.map((edge) => depts.map((dept) => checksIn(dept, edge) <= plan.edgeRows));

    const sketch: unknown[] = [];
    const $ = (params: unknown[], value: unknown) => `$${params.push(value)}`;
    const k = $(sketch, SUBJECT_SKETCH);
    const sources: string[] = [];
    if (whole)
      sources.push(`(SELECT DISTINCT c.subject_hash AS hash FROM enforcement.check_subject_days c
        WHERE c.dept = d.dept${inWholeDays(whole, sketch)} ORDER BY 1 LIMIT ${k})`);
    const flags = edges.map((_, i) => `$${sketch.push(byRows[i])}::bool[]`);
    edges.forEach((edge, i) => {
      const [day, lo, hi] = [edge.day, edge.from, edge.to].map((v) => $(sketch, v));
      sources.push(`(SELECT DISTINCT c.subject_hash AS hash FROM enforcement.check_subject_days c
        WHERE NOT d.rows${i} AND c.dept = d.dept AND c.day = ${day} AND ${CHECKED_WITHIN(lo, hi)}
        ORDER BY 1 LIMIT ${k})`);
      sources.push(`(SELECT DISTINCT ${SUBJECT_HASH('c.subject_id')} AS hash FROM enforcement.checks c
        WHERE d.rows${i} AND c.dept = d.dept AND c.checked_at >= ${lo} AND c.checked_at < ${hi}
        ORDER BY 1 LIMIT ${k})`);
    });
    const deptList = `$${sketch.push(depts)}::text[]`;
    const sketches = this.db.query(
      `SELECT d.dept, count(*)::int AS kept, max(h.hash)::text AS largest
       FROM unnest(${[deptList, ...flags].join(', ')}) d (${['dept', ...edges.map((_, i) => `rows${i}`)].join(', ')})
       CROSS JOIN LATERAL (
         SELECT DISTINCT u.hash FROM (${sources.join(' UNION ALL ')}) u ORDER BY u.hash LIMIT ${k}) h
       GROUP BY d.dept`,
      sketch,
    ) as Promise<{ dept: string; kept: number; largest: string | null }[]>;

    const ranked =
      limit === 0 ? Promise.resolve([]) : this.mostChecked(daily, whole, edges, byRows, depts, limit);
    const [kept, top] = await Promise.all([sketches, ranked]);
    const out = new Map<string, Subjects>();
    for (const { dept, kept: n, largest } of kept) {
      const { count, estimated } = distinctFromSketch(n, largest === null ? null : BigInt(largest));
      const own = top.filter((r) => r.dept === dept);
      const last = own[own.length - 1];
      const proven =
        !last ||
        (last.sources <= 1 && last.exact) ||
        Number(last.bound) === 0 ||
        last.checks > Number(last.bound);
      out.set(dept, { subjects: count, subjectsEstimated: estimated, top: own, topEstimated: !proven });
    }
    return out;
  }

  /** Each department's most checked of the period, with what proves the ranking (see `subjects`). */
  private async mostChecked(
    daily: { dept: string; day: string }[],
    whole: { from?: Date; last?: Date } | null,
    edges: DayEdge[],
    byRows: boolean[][],
    depts: string[],
    limit: number,
  ) {
    // the lists: a day's (a whole day, or the day of a large part) and a small part's own
    const days: { dept: string; day: Date; source: string; exact: boolean }[] = [];
    const parts = edges.map(() => [] as string[]); // the departments whose part i is read from rows
    for (const { dept, day } of daily) {
      const i = edges.findIndex((edge) => beijingDate(edge.day) === day);
      if (i < 0) days.push({ dept, day: new Date(`${day}T00:00:00+08:00`), source: day, exact: true });
      else if (byRows[i][depts.indexOf(dept)]) parts[i].push(dept);
      else days.push({ dept, day: edges[i].day, source: `part${i}`, exact: false });
    }
    const params: unknown[] = [];
    const $ = (value: unknown) => `$${params.push(value)}`;
    const top = $(limit);
    const lists: string[] = [];
    if (days.length > 0)
      lists.push(`SELECT k.dept, k.source, k.exact, t.subject_id, t.checks
        FROM unnest(${$(days.map((d) => d.dept))}::text[], ${$(days.map((d) => d.day))}::timestamptz[],
          ${$(days.map((d) => d.source))}::text[], ${$(days.map((d) => d.exact))}::bool[])
          k (dept, day, source, exact)
        CROSS JOIN LATERAL (
          SELECT c.subject_id, c.checks FROM enforcement.check_subject_days c
          WHERE c.dept = k.dept AND c.day = k.day ORDER BY c.checks DESC, c.subject_id LIMIT ${top}) t`);
    // a part's span as parameters of the statement, not columns of the lateral: the plan then reads only
    // its day's partition by `(dept, checked_at)` (as lateral columns, every department scanned the day)
    parts.forEach((own, i) => {
      if (own.length > 0)
        lists.push(`SELECT k.dept, 'part${i}', true, t.subject_id, t.checks
          FROM unnest(${$(own)}::text[]) k (dept)
          CROSS JOIN LATERAL (
            SELECT c.subject_id, count(*) AS checks FROM enforcement.checks c
            WHERE c.dept = k.dept AND c.checked_at >= ${$(edges[i].from)} AND c.checked_at < ${$(edges[i].to)}
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${top}) t`);
    });
    // a candidate's checks in the period: its whole days' rows, and its checks in each part counted
    const counted: string[] = [];
    if (whole)
      counted.push(`SELECT c.checks, c.hits, c.last_checked_at FROM enforcement.check_subject_days c
        WHERE c.dept = p.dept AND c.subject_id = p.subject_id${inWholeDays(whole, params)}`);
    for (const edge of edges)
      counted.push(`SELECT count(*), count(*) FILTER (WHERE ${HIT('k')}), max(k.checked_at)
        FROM enforcement.checks k
        WHERE k.subject_id = p.subject_id AND k.checked_at >= ${$(edge.from)} AND k.checked_at < ${$(edge.to)}
          AND k.dept = p.dept`);
    return (await this.db.query(
      `WITH picked (dept, source, exact, subject_id, checks) AS (${lists.join(' UNION ALL ')}),
       bound AS (
         SELECT dept, count(*)::int AS sources, bool_and(exact) AS exact, sum(last)::bigint AS bound
         FROM (SELECT dept, source, bool_and(exact) AS exact,
                 CASE WHEN count(*) = ${top} THEN min(checks) ELSE 0 END AS last
               FROM picked GROUP BY 1, 2) s
         GROUP BY dept),
       totals AS (
         SELECT p.dept, p.subject_id, sum(x.checks)::int AS checks, sum(x.hits)::int AS hits,
           max(x.last_checked_at) AS last_checked_at,
           row_number() OVER (PARTITION BY p.dept ORDER BY sum(x.checks) DESC, p.subject_id) AS n
         FROM (SELECT DISTINCT dept, subject_id FROM picked) p
         CROSS JOIN LATERAL (${counted.join(' UNION ALL ')}) x (checks, hits, last_checked_at)
         GROUP BY 1, 2 HAVING sum(x.checks) > 0)
       SELECT t.dept, t.subject_id, t.checks, t.hits, t.last_checked_at, b.sources, b.exact,
         b.bound::text AS bound
       FROM totals t JOIN bound b USING (dept) WHERE t.n <= ${top} ORDER BY t.dept, t.n`,
      params,
    )) as (SubjectRow & { sources: number; exact: boolean; bound: string })[];
  }
}
