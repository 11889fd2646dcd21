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

/**
 * How often departments check (核查频次), for supervisors: per department the checks, distinct subjects,
 * hits and what was decided about them, by answer, action, stage and Beijing day, and the subjects it
 * checked most. A person's ID number is masked unless the reader is an admin, as in the check log.
 */
@Injectable()
export class CheckLogSummaryQueries {
  constructor(@Inject(ENFORCEMENT_DB) private readonly db: DataSource) {}

  async summary(principal: Principal, query: CheckLogSummaryQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.dept) add('c.dept = ?', query.dept);
    const region = supervisedRegion(principal);
    if (region !== undefined) add(deptInRegion('c.dept', '?'), region); // a region's supervisor: its region only
    if (query.from) add('c.checked_at >= ?', query.from);
    if (query.to) add('c.checked_at < ?', query.to);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const hit = 'jsonb_array_length(c.reasons) > 0';
    const run = <T>(sql: string, extra: unknown[] = []) =>
      this.db.query(sql, [...params, ...extra]) as Promise<T[]>;

    const [totals, byDecision, byStage, byAction, daily, subjects] = await Promise.all([
      run<Counted & { subjects: number; decided: number }>(
        `SELECT c.dept, count(*)::int AS checks, count(DISTINCT c.subject_id)::int AS subjects,
           count(*) FILTER (WHERE ${hit})::int AS hits,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM enforcement.check_decisions d WHERE d.check_id = c.id AND d.checked_at = c.checked_at))::int
             AS decided
         FROM enforcement.checks c ${filter} GROUP BY c.dept ORDER BY c.dept`,
      ),
      run<{ dept: string; decision: string; checks: number }>(
        `SELECT c.dept, c.decision, count(*)::int AS checks FROM enforcement.checks c ${filter}
         GROUP BY 1, 2`,
      ),
      run<{ dept: string; stage: string | null; checks: number }>(
        `SELECT c.dept, c.stage, count(*)::int AS checks FROM enforcement.checks c ${filter} GROUP BY 1, 2`,
      ),
      run<Counted & { action: string }>(
        `SELECT c.dept, c.action, count(*)::int AS checks, count(*) FILTER (WHERE ${hit})::int AS hits
         FROM enforcement.checks c ${filter} GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2`,
      ),
      run<Counted & { day: string }>(
        `SELECT c.dept, to_char(c.checked_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day,
           count(*)::int AS checks, count(*) FILTER (WHERE ${hit})::int AS hits
         FROM enforcement.checks c ${filter} GROUP BY 1, 2 ORDER BY 1, 2`,
      ),
      run<Counted & { subject_id: string; last_checked_at: Date }>(
        `SELECT dept, subject_id, checks, hits, last_checked_at FROM (
           SELECT c.dept, c.subject_id, count(*)::int AS checks, count(*) FILTER (WHERE ${hit})::int AS hits,
             max(c.checked_at) AS last_checked_at,
             row_number() OVER (PARTITION BY c.dept ORDER BY count(*) DESC, c.subject_id) AS n
           FROM enforcement.checks c ${filter} GROUP BY 1, 2) s
         WHERE n <= $${params.length + 1} ORDER BY dept, n`,
        [query.top ?? 10],
      ),
    ]);
    const inClear = principal.roles.includes('admin');
    const of = <T extends { dept: string }>(rows: T[], dept: string) => rows.filter((r) => r.dept === dept);
    return {
      period: { from: query.from ?? null, to: query.to ?? null },
      items: totals.map((t) => ({
        dept: t.dept,
        checks: t.checks,
        subjects: t.subjects,
        hits: t.hits,
        hitsDecided: t.decided,
        byDecision: Object.fromEntries(
          CHECK_DECISIONS.map((d) => [d, of(byDecision, t.dept).find((r) => r.decision === d)?.checks ?? 0]),
        ),
        byStage: Object.fromEntries(
          [...CHECK_STAGES, null].map((s) => [
            s ?? 'unspecified',
            of(byStage, t.dept).find((r) => r.stage === s)?.checks ?? 0,
          ]),
        ),
        byAction: of(byAction, t.dept).map(({ action, checks, hits }) => ({ action, checks, hits })),
        daily: of(daily, t.dept).map(({ day, checks, hits }) => ({ day, checks, hits })),
        topSubjects: of(subjects, t.dept).map((s) => ({
          subjectId:
            inClear || !looksLikeIdNumber(s.subject_id) ? s.subject_id : maskIdentifier(s.subject_id),
          checks: s.checks,
          hits: s.hits,
          lastCheckedAt: s.last_checked_at.toISOString(),
        })),
      })),
      nextCursor: null,
    };
  }
}
