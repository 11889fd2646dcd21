import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DueProcessFigures, DueProcessFiguresReader } from '../due-process/due-process.figures';
import { FOLLOW_UP_OPTIONS, FollowUpOptions } from '../follow-up/follow-up.options';
import { TRACKING_DB } from '../tracking.tokens';

/** What one department did with the assignments it received (per measure, and in total). */
export const ASSESSMENT_FIGURES = [
  'received',
  'acknowledged',
  'acknowledgedOnTime',
  'feedbackReported',
  'feedbackOnTime',
  'enforced',
  'notApplicable',
  'acted',
  'lifted',
  'liftsConfirmed',
  'overdueNow',
  'everOverdue',
  'escalated',
] as const;
export type AssessmentFigure = (typeof ASSESSMENT_FIGURES)[number];
export type AssessmentFigures = Record<AssessmentFigure, number>;

export interface MeasureRecord extends AssessmentFigures {
  measureCode: string;
  memorandumCode: string | null;
  listType: string | null;
}

export interface Assessment {
  dept: string;
  period: { from: string | null; to: string | null };
  generatedAt: string;
  totals: AssessmentFigures;
  checks: { hits: number; hitsOnOwnMeasures: number; decided: number; applied: number; notApplied: number };
  application: { threshold: number; share: number | null; applies: boolean | null };
  byMeasure: MeasureRecord[];
  /**
   * As an initiating department: how it handled the subjects' due process in the period (statements,
   * objections, repair applications, commitments made to it) — timeliness included.
   */
  dueProcess: Pick<DueProcessFigures, 'statements' | 'objections' | 'repairs' | 'commitments'>;
  /** What is overdue now against the department: its assignments, and as owner its objections and repairs. */
  overdueNow: { assignments: number; objections: number; repairs: number; total: number };
}

/**
 * 考核: one department's record for a period — the assignments issued to it in the period (issue day,
 * Beijing time, as the statistics count them) and where each stands now, the hits of its checks, and
 * the application verdict against the configured share. Reads that department's rows of the read
 * model (indexed by department and issue time), never the trail.
 */
@Injectable()
export class AssessmentReport {
  constructor(
    @Inject(TRACKING_DB) private readonly db: DataSource,
    @Inject(FOLLOW_UP_OPTIONS) private readonly options: FollowUpOptions,
    private readonly dueProcessFigures: DueProcessFiguresReader,
  ) {}

  async build(dept: string, from?: string, to?: string, now = new Date()): Promise<Assessment> {
    // Beijing days as instants: [from 00:00 +08, the day after `to` 00:00 +08)
    const start = from ? new Date(`${from}T00:00:00+08:00`) : null;
    const end = to ? new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000) : null;
    const figures = ASSESSMENT_FIGURES.map((f) => `${FIGURE_SQL[f]}::int AS "${f}"`).join(',\n');
    const byMeasure: MeasureRecord[] = await this.db.query(
      `SELECT a.measure_code AS "measureCode", min(a.memorandum_code) AS "memorandumCode",
         min(a.list_type) AS "listType", ${figures}
       FROM tracking.follow_up_assignments a
       WHERE a.issued AND a.dept = $1 AND ($2::timestamptz IS NULL OR a.issued_at >= $2)
         AND ($3::timestamptz IS NULL OR a.issued_at < $3)
       GROUP BY a.measure_code ORDER BY a.measure_code`,
      [dept, start, end],
    );
    const totals = Object.fromEntries(
      ASSESSMENT_FIGURES.map((f) => [f, byMeasure.reduce((sum, m) => sum + m[f], 0)]),
    ) as AssessmentFigures;
    const [checks] = await this.db.query(
      `SELECT count(*)::int AS hits, count(*) FILTER (WHERE own)::int AS "hitsOnOwnMeasures",
         count(decided_at)::int AS decided, count(*) FILTER (WHERE outcome = 'applied')::int AS applied,
         count(*) FILTER (WHERE outcome = 'not_applied')::int AS "notApplied"
       FROM tracking.check_hits
       WHERE dept = $1 AND hit_at IS NOT NULL AND ($2::timestamptz IS NULL OR hit_at >= $2)
         AND ($3::timestamptz IS NULL OR hit_at < $3)`,
      [dept, start, end],
    );
    const threshold = this.options.applicationThreshold;
    const share = totals.received > 0 ? totals.acted / totals.received : null;
    const { statements, objections, repairs, commitments } = await this.dueProcessFigures.forDepartment(
      dept,
      from,
      to,
      now,
    );
    return {
      dept,
      period: { from: from ?? null, to: to ?? null },
      generatedAt: now.toISOString(),
      totals,
      checks,
      application: { threshold, share, applies: share === null ? null : share >= threshold },
      byMeasure,
      dueProcess: { statements, objections, repairs, commitments },
      overdueNow: {
        assignments: totals.overdueNow,
        objections: objections.overdueNow,
        repairs: repairs.overdueNow,
        total: totals.overdueNow + objections.overdueNow + repairs.overdueNow,
      },
    };
  }
}

/** Each figure over a department's assignments `a` (the statistics' definitions, plus timeliness). */
const FIGURE_SQL: Record<AssessmentFigure, string> = {
  received: 'count(*)',
  acknowledged: 'count(a.acknowledged_at)',
  acknowledgedOnTime: 'count(*) FILTER (WHERE a.acknowledged_at <= a.ack_deadline)',
  feedbackReported: 'count(*) FILTER (WHERE a.enforced_at IS NOT NULL OR a.not_applicable_at IS NOT NULL)',
  feedbackOnTime: `count(*) FILTER (WHERE LEAST(a.enforced_at, a.not_applicable_at) <= a.feedback_deadline)`,
  enforced: 'count(a.enforced_at)',
  notApplicable: 'count(a.not_applicable_at)',
  // 应用: acknowledged and reported what it did
  acted: `count(*) FILTER (WHERE a.acknowledged_at IS NOT NULL
    AND (a.enforced_at IS NOT NULL OR a.not_applicable_at IS NOT NULL))`,
  lifted: 'count(*) FILTER (WHERE a.lifted_at IS NOT NULL OR a.lift_confirmed_at IS NOT NULL)',
  liftsConfirmed: 'count(a.lift_confirmed_at)',
  overdueNow: 'count(*) FILTER (WHERE a.overdue)',
  everOverdue: 'count(*) FILTER (WHERE a.ack_overdue_level > 0 OR a.feedback_overdue_level > 0)',
  escalated: 'count(*) FILTER (WHERE a.ack_overdue_level = 2 OR a.feedback_overdue_level = 2)',
};
