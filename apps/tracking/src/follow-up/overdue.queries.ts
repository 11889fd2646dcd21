import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { decodeCursor, encodeCursor } from '@credit/platform';
import { deptInRegion, regionScope } from '../access/region-scope';
import { TRACKING_DB } from '../tracking.tokens';
import { FollowUpRow } from './follow-up-state';
import { FOLLOW_UP_SELECT } from './follow-up.projector';
import { OverdueCounts } from './overdue-counts';
import { OverdueCountsQueryDto, OverdueQueryDto } from './overdue.dto';

const DAY_MS = 86_400_000;

/** 逾期督办: the overdue assignments supervisors chase, scoped to their region, a page at a time. */
@Injectable()
export class OverdueQueries {
  constructor(
    @Inject(TRACKING_DB) private readonly db: DataSource,
    private readonly counts: OverdueCounts,
  ) {}

  /**
   * How many assignments are overdue now, by department, kind and level, in the caller's region: from
   * the rollup (decision 0056), never by counting the overdue rows.
   */
  async count(principal: Principal, query: OverdueCountsQueryDto) {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.dept) where.push(`dept = ${param(query.dept)}`);
    const region = regionScope(principal, query.region);
    if (region !== undefined) where.push(deptInRegion('dept', param(region)));
    const items = await this.counts.read(where.length ? where.join(' AND ') : undefined, params);
    return { items, total: items.reduce((sum, i) => sum + i.count, 0) };
  }

  /** Assignments past a deadline they have not met, oldest mark first. */
  async list(principal: Principal, query: OverdueQueryDto) {
    const limit = query.limit ?? 100;
    const where = ['a.overdue'];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.dept) where.push(`a.dept = ${param(query.dept)}`);
    const region = regionScope(principal);
    if (region !== undefined) where.push(deptInRegion('a.dept', param(region)));
    if (query.listType) where.push(`a.list_type = ${param(query.listType)}`);
    if (query.measureCode) where.push(`a.measure_code = ${param(query.measureCode)}`);
    if (query.memorandumCode) where.push(`a.memorandum_code = ${param(query.memorandumCode)}`);
    if (query.kind) where.push(`a.overdue_kind = ${param(query.kind)}`);
    if (query.level) where.push(`a.overdue_level = ${param(query.level)}`);
    if (query.minAgeDays !== undefined) {
      // the age of an overdue assignment: time since the deadline it missed
      where.push(`a.overdue_deadline <= ${param(new Date(Date.now() - query.minAgeDays * DAY_MS))}`);
    }
    if (query.cursor) {
      const [since, id] = decodeCursor(query.cursor);
      where.push(`(a.overdue_since, a.id) > (${param(since)}, ${param(id)})`);
    }
    const rows: FollowUpRow[] = await this.db.query(
      `SELECT ${FOLLOW_UP_SELECT} FROM tracking.follow_up_assignments a
       WHERE ${where.join(' AND ')} ORDER BY a.overdue_since, a.id LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const now = Date.now();
    return {
      items: page.map((r) => toOverdueView(r, now)),
      nextCursor:
        rows.length > limit && last ? encodeCursor([last.overdueSince!.toISOString(), last.id]) : null,
    };
  }
}

export function toOverdueView(r: FollowUpRow, now: number) {
  return {
    id: r.id,
    entryId: r.entryId,
    dept: r.dept,
    measureCode: r.measureCode,
    measureVersion: r.measureVersion,
    memorandumCode: r.memorandumCode,
    listType: r.listType,
    target: { id: r.targetId, kind: r.targetKind, ...(r.targetRole ? { role: r.targetRole } : {}) },
    status: r.status,
    issuedAt: r.issuedAt?.toISOString() ?? null,
    ackDeadline: r.ackDeadline?.toISOString() ?? null,
    feedbackDeadline: r.feedbackDeadline?.toISOString() ?? null,
    kind: r.overdueKind,
    level: r.overdueLevel,
    deadline: r.overdueDeadline?.toISOString() ?? null,
    overdueSince: r.overdueSince?.toISOString() ?? null,
    ageDays: r.overdueDeadline ? Math.floor((now - r.overdueDeadline.getTime()) / DAY_MS) : null,
  };
}
