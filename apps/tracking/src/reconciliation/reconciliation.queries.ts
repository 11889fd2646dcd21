import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { decodeCursor, encodeCursor } from '@credit/platform';
import { deptInRegion, regionScope } from '../access/region-scope';
import { TRACKING_DB } from '../tracking.tokens';
import { ReconciliationQueryDto } from './reconciliation.dto';

const DAY_MS = 86_400_000;

interface GapRow {
  kind: string;
  ref: string;
  entry_id: string;
  dept: string | null;
  assignment_id: string | null;
  check_id: string | null;
  since: Date;
  detail: Record<string, unknown>;
  detected_at: Date;
  cleared_at: Date | null;
}

/** 对账: the gaps reconciliation found, for the supervisor to chase; oldest first, in their region. */
@Injectable()
export class ReconciliationQueries {
  constructor(@Inject(TRACKING_DB) private readonly db: DataSource) {}

  async gaps(principal: Principal, query: ReconciliationQueryDto) {
    const limit = query.limit ?? 100;
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const status = query.status ?? 'open';
    if (status === 'open') where.push('g.cleared_at IS NULL');
    if (status === 'cleared') where.push('g.cleared_at IS NOT NULL');
    if (query.kind) where.push(`g.kind = ${param(query.kind)}`);
    if (query.dept) where.push(`g.dept = ${param(query.dept)}`);
    const region = regionScope(principal);
    if (region !== undefined) {
      // a region's supervisor: gaps of its departments, and entry-level gaps of its departments' entries
      const at = param(region);
      where.push(`(${deptInRegion('g.dept', at)} OR (g.dept IS NULL AND g.entry_id IN
        (SELECT e.entry_id FROM tracking.entries e WHERE ${deptInRegion('e.owner_dept', at)})))`);
    }
    if (query.entryId) where.push(`g.entry_id = ${param(query.entryId)}`);
    if (query.minAgeDays !== undefined)
      where.push(`g.since <= ${param(new Date(Date.now() - query.minAgeDays * DAY_MS))}`);
    if (query.cursor) {
      const [since, kind, ref] = decodeCursor(query.cursor);
      where.push(`(g.since, g.kind, g.ref) > (${param(since)}, ${param(kind)}, ${param(ref)})`);
    }
    const rows: GapRow[] = await this.db.query(
      `SELECT g.* FROM tracking.reconciliation_gaps g ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY g.since, g.kind, g.ref LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const now = Date.now();
    return {
      items: page.map((g) => ({
        kind: g.kind,
        entryId: g.entry_id,
        dept: g.dept,
        assignmentId: g.assignment_id,
        checkId: g.check_id,
        since: g.since.toISOString(),
        ageDays: Math.max(0, Math.floor((now - g.since.getTime()) / DAY_MS)),
        detectedAt: g.detected_at.toISOString(),
        clearedAt: g.cleared_at?.toISOString() ?? null,
        detail: g.detail,
      })),
      nextCursor:
        rows.length > limit && last ? encodeCursor([last.since.toISOString(), last.kind, last.ref]) : null,
    };
  }
}
