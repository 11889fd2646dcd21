import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deptInRegion } from '../access/region-scope';
import { TRACKING_DB } from '../tracking.tokens';

/**
 * Figures of the subject's due process per owning department (commitments: per department they were made
 * to), for the cohort started in the period — notices given, statements received, objections opened,
 * repair applications submitted, documents issued, commitments recorded in it — and where each stands now.
 */
export const DUE_PROCESS_FIGURES = {
  notices: ['noticed'],
  statements: ['received', 'answered', 'accepted', 'unanswered', 'closed'],
  objections: ['opened', 'resolved', 'resolvedOnTime', 'overdueNow', 'everOverdue', 'closed'],
  repairs: [
    'submitted',
    'materialRequested',
    'accepted',
    'acceptedOnTime',
    'decided',
    'decidedOnTime',
    'approved',
    'rejected',
    'overdueNow',
    'everOverdue',
    'withdrawn',
    'closed',
  ],
  documents: ['issued', 'listingDecisions', 'repairNotices', 'repairDecisions', 'statementAnswers'],
  commitments: ['recorded', 'open', 'kept', 'broken', 'listedOnBreach'],
} as const;

export type DueProcessGroup = keyof typeof DUE_PROCESS_FIGURES;
export type DueProcessFigures = {
  [G in DueProcessGroup]: Record<(typeof DUE_PROCESS_FIGURES)[G][number], number>;
};

/** Repair applications are overdue when the owner has not accepted, or not decided, by the deadline. */
export const repairOverdueKindSql = (now: string) =>
  `CASE WHEN r.status = 'submitted' AND r.accept_deadline < ${now} THEN 'accept'
        WHEN r.status = 'accepted' AND r.decide_deadline < ${now} THEN 'decide' END`;

interface Source {
  table: string;
  alias: string;
  dept: string;
  time: string;
  listType?: string;
  figures: Record<string, string>;
}

/** `$now` is the query's first parameter. */
const SOURCES: Record<DueProcessGroup, Source> = {
  notices: {
    table: 'tracking.notices',
    alias: 'n',
    dept: 'n.owner_dept',
    time: 'n.noticed_at',
    listType: 'n.list_type',
    figures: { noticed: 'count(*)' },
  },
  statements: {
    table: 'tracking.statements',
    alias: 's',
    dept: 's.owner_dept',
    time: 's.received_at',
    listType: 's.list_type',
    figures: {
      received: 'count(*)',
      answered: 'count(s.answered_at)',
      accepted: 'count(*) FILTER (WHERE s.accepted)',
      // closed with its entry: nothing left to answer
      unanswered: 'count(*) FILTER (WHERE s.answered_at IS NULL AND s.closed_at IS NULL)',
      closed: 'count(s.closed_at)',
    },
  },
  objections: {
    table: 'tracking.objections',
    alias: 'o',
    dept: 'o.owner_dept',
    time: 'o.opened_at',
    listType: 'o.list_type',
    figures: {
      opened: 'count(*)',
      resolved: 'count(o.resolved_at)',
      resolvedOnTime: 'count(*) FILTER (WHERE o.resolved_at <= o.deadline)',
      // one closed with its entry stops counting from then; closed already late, it was overdue
      overdueNow: 'count(*) FILTER (WHERE o.resolved_at IS NULL AND o.closed_at IS NULL AND o.deadline < $1)',
      everOverdue: `count(*) FILTER (WHERE (o.resolved_at IS NULL AND o.closed_at IS NULL AND o.deadline < $1)
        OR o.resolved_at > o.deadline OR o.closed_at > o.deadline)`,
      // closed unresolved when the entry ended (decision 0030)
      closed: 'count(o.closed_at)',
    },
  },
  repairs: {
    table: 'tracking.repair_applications',
    alias: 'r',
    dept: 'r.owner_dept',
    time: 'r.submitted_at',
    listType: 'r.list_type',
    figures: {
      submitted: 'count(*)',
      materialRequested: 'count(*) FILTER (WHERE r.material_requests > 0)',
      accepted: 'count(r.accepted_at)',
      acceptedOnTime: 'count(*) FILTER (WHERE r.accepted_on_time)',
      decided: 'count(r.decided_at)',
      decidedOnTime: 'count(*) FILTER (WHERE r.decided_on_time)',
      approved: "count(*) FILTER (WHERE r.outcome = 'approved')",
      rejected: "count(*) FILTER (WHERE r.outcome = 'rejected')",
      overdueNow: `count(*) FILTER (WHERE ${repairOverdueKindSql('$1')} IS NOT NULL)`,
      everOverdue: `count(*) FILTER (WHERE ${repairOverdueKindSql('$1')} IS NOT NULL
        OR r.accepted_on_time = false OR r.decided_on_time = false)`,
      // withdrawn by the applicant, or closed undecided when the entry ended (decision 0030)
      withdrawn: "count(*) FILTER (WHERE r.status = 'withdrawn')",
      closed: "count(*) FILTER (WHERE r.status = 'closed_entry_ended')",
    },
  },
  documents: {
    table: 'tracking.documents',
    alias: 'd',
    dept: 'd.owner_dept',
    time: 'd.issued_at',
    figures: {
      issued: 'count(*)',
      listingDecisions: "count(*) FILTER (WHERE d.kind = 'listing_decision')",
      repairNotices: "count(*) FILTER (WHERE d.kind = 'repair_notice')",
      repairDecisions: "count(*) FILTER (WHERE d.kind = 'repair_decision')",
      statementAnswers: "count(*) FILTER (WHERE d.kind = 'statement_answer')",
    },
  },
  commitments: {
    table: 'tracking.commitments',
    alias: 'c',
    dept: 'c.recorded_by_dept',
    time: 'c.recorded_at',
    figures: {
      recorded: 'count(*)',
      open: "count(*) FILTER (WHERE c.status = 'open')",
      kept: "count(*) FILTER (WHERE c.status = 'kept')",
      broken: "count(*) FILTER (WHERE c.status = 'broken')",
      listedOnBreach: 'count(c.new_entry_id)',
    },
  },
};

export interface DueProcessFilter {
  /** first and last Beijing day of the period (inclusive) */
  from?: string;
  to?: string;
  dept?: string;
  region?: string;
  /** list type (commitments and documents carry none: not filtered) */
  listType?: string;
}

export const emptyDueProcessFigures = (): DueProcessFigures =>
  Object.fromEntries(
    Object.entries(DUE_PROCESS_FIGURES).map(([g, fs]) => [g, Object.fromEntries(fs.map((f) => [f, 0]))]),
  ) as DueProcessFigures;

/** Beijing days as instants: [from 00:00 +08, the day after `to` 00:00 +08). */
export function beijingPeriod(from?: string, to?: string): { start: Date | null; end: Date | null } {
  return {
    start: from ? new Date(`${from}T00:00:00+08:00`) : null,
    end: to ? new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000) : null,
  };
}

/** Reads the due-process tables; every figure from the rows of the period's cohort. */
@Injectable()
export class DueProcessFiguresReader {
  constructor(@Inject(TRACKING_DB) private readonly db: DataSource) {}

  async byDepartment(filter: DueProcessFilter, now = new Date()): Promise<Map<string, DueProcessFigures>> {
    const { start, end } = beijingPeriod(filter.from, filter.to);
    const byDept = new Map<string, DueProcessFigures>();
    for (const [group, source] of Object.entries(SOURCES) as [DueProcessGroup, Source][]) {
      const params: unknown[] = [now];
      const param = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      const where = ['$1::timestamptz IS NOT NULL']; // binds `now` where no figure uses it
      if (start) where.push(`${source.time} >= ${param(start)}`);
      if (end) where.push(`${source.time} < ${param(end)}`);
      if (filter.dept) where.push(`${source.dept} = ${param(filter.dept)}`);
      if (filter.region) where.push(deptInRegion(source.dept, param(filter.region)));
      if (filter.listType && source.listType) where.push(`${source.listType} = ${param(filter.listType)}`);
      const figures = Object.entries(source.figures)
        .map(([name, sql]) => `${sql}::int AS "${name}"`)
        .join(', ');
      const rows: ({ dept: string } & Record<string, number>)[] = await this.db.query(
        `SELECT ${source.dept} AS dept, ${figures} FROM ${source.table} ${source.alias}
         WHERE ${where.join(' AND ')} GROUP BY 1`,
        params,
      );
      for (const { dept, ...values } of rows) {
        const into = byDept.get(dept) ?? emptyDueProcessFigures();
        Object.assign(into[group], values);
        byDept.set(dept, into);
      }
    }
    return byDept;
  }

  async forDepartment(
    dept: string,
    from?: string,
    to?: string,
    now = new Date(),
  ): Promise<DueProcessFigures> {
    return (await this.byDepartment({ dept, from, to }, now)).get(dept) ?? emptyDueProcessFigures();
  }
}
