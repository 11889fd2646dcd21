import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { decodeCursor, encodeCursor } from '@credit/platform';
import { deptInRegion, regionScope } from '../access/region-scope';
import { StatsQueryDto } from '../stats/stats.dto';
import { TRACKING_DB } from '../tracking.tokens';
import { OverdueRepairsQuery } from './due-process.dto';
import {
  DUE_PROCESS_FIGURES,
  DueProcessFigures,
  DueProcessFiguresReader,
  DueProcessGroup,
  emptyDueProcessFigures,
  repairOverdueKindSql,
} from './due-process.figures';

const DAY_MS = 86_400_000;

interface OverdueRepairRow {
  applicationId: string;
  entryId: string;
  ownerDept: string;
  listType: string;
  status: string;
  filedByRole: string | null;
  submittedAt: Date | null;
  acceptDeadline: Date | null;
  decideDeadline: Date | null;
  acceptedAt: Date | null;
  kind: 'accept' | 'decide';
  deadline: Date;
}

/** 信用修复、陈述申辩、异议、信用承诺: how the owning departments handle the subject's due process. */
@Injectable()
export class DueProcessQueries {
  constructor(
    @Inject(TRACKING_DB) private readonly db: DataSource,
    private readonly figures: DueProcessFiguresReader,
  ) {}

  /** Per owning department: notices, statements, objections, repairs, documents and commitments. */
  async stats(principal: Principal, query: StatsQueryDto) {
    const region = regionScope(principal, query.region);
    const byDept = await this.figures.byDepartment({ ...query, region });
    const items = [...byDept.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([dept, figures]) => ({ dept, ...figures }));
    const totals = emptyDueProcessFigures();
    for (const { dept: _dept, ...figures } of items)
      for (const group of Object.keys(DUE_PROCESS_FIGURES) as DueProcessGroup[])
        for (const [name, value] of Object.entries(figures[group]))
          (totals[group] as Record<string, number>)[name] += value;
    return {
      period: { from: query.from ?? null, to: query.to ?? null },
      region: region ?? null,
      items: items as ({ dept: string } & DueProcessFigures)[],
      totals,
      nextCursor: null,
    };
  }

  /**
   * Repair applications past their deadline to accept or to decide (a request for material pauses the
   * first), oldest deadline first, and how many each owning department has.
   */
  async overdueRepairs(principal: Principal, query: OverdueRepairsQuery) {
    const now = new Date();
    const limit = query.limit ?? 100;
    const params: unknown[] = [now];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (query.dept) where.push(`r.owner_dept = ${param(query.dept)}`);
    if (query.listType) where.push(`r.list_type = ${param(query.listType)}`);
    if (query.kind) where.push(`r.kind = ${param(query.kind)}`);
    const region = regionScope(principal, query.region);
    if (region !== undefined) where.push(deptInRegion('r.owner_dept', param(region)));
    const overdue = `SELECT r.*, ${repairOverdueKindSql('$1')} AS kind,
        CASE r.status WHEN 'submitted' THEN r.accept_deadline ELSE r.decide_deadline END AS deadline
      FROM tracking.repair_applications r WHERE r.status IN ('submitted', 'accepted')`;
    const filtered = `SELECT * FROM (${overdue}) r WHERE r.kind IS NOT NULL
      ${where.length > 0 ? `AND ${where.join(' AND ')}` : ''}`;
    const byDepartment: { dept: string; overdue: number; accept: number; decide: number }[] =
      await this.db.query(
        `SELECT r.owner_dept AS dept, count(*)::int AS overdue,
           count(*) FILTER (WHERE r.kind = 'accept')::int AS accept,
           count(*) FILTER (WHERE r.kind = 'decide')::int AS decide
         FROM (${filtered}) r GROUP BY 1 ORDER BY 2 DESC, 1`,
        params,
      );
    let page = filtered;
    if (query.cursor) {
      const [deadline, id] = decodeCursor(query.cursor);
      page += ` AND (r.deadline, r.application_id) > (${param(new Date(deadline))}, ${param(id)})`;
    }
    const rows: OverdueRepairRow[] = await this.db.query(
      `SELECT r.application_id AS "applicationId", r.entry_id AS "entryId", r.owner_dept AS "ownerDept",
         r.list_type AS "listType", r.status, r.filed_by_role AS "filedByRole",
         r.submitted_at AS "submittedAt", r.accept_deadline AS "acceptDeadline",
         r.decide_deadline AS "decideDeadline", r.accepted_at AS "acceptedAt", r.kind, r.deadline
       FROM (${page}) r ORDER BY r.deadline, r.application_id LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      items: items.map((r) => ({
        applicationId: r.applicationId,
        entryId: r.entryId,
        ownerDept: r.ownerDept,
        listType: r.listType,
        status: r.status,
        filedByRole: r.filedByRole,
        submittedAt: iso(r.submittedAt),
        acceptedAt: iso(r.acceptedAt),
        acceptDeadline: iso(r.acceptDeadline),
        decideDeadline: iso(r.decideDeadline),
        kind: r.kind,
        deadline: r.deadline.toISOString(),
        ageDays: Math.floor((now.getTime() - r.deadline.getTime()) / DAY_MS),
      })),
      byDepartment,
      nextCursor:
        rows.length > limit && last ? encodeCursor([last.deadline.toISOString(), last.applicationId]) : null,
    };
  }
}
