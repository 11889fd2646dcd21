import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { regionScope } from '../access/region-scope';
import { STAT_COUNTERS, StatCounter } from '../follow-up/follow-up-state';
import { FOLLOW_UP_OPTIONS, FollowUpOptions } from '../follow-up/follow-up.options';
import { TRACKING_DB } from '../tracking.tokens';
import { COUNTER_COLUMNS } from './stats-counters';
import { StatsQueryDto } from './stats.dto';

type Row = Record<StatCounter, number> & Record<string, unknown>;

/** The API.md row of a department: exactly these fields. */
const DEPARTMENT_FIELDS = [
  'assigned',
  'acknowledged',
  'acknowledgedOnTime',
  'enforced',
  'notApplicable',
  'liftsConfirmed',
  'overdue',
] as const;

/**
 * 统计: read from the counters kept per (department, list type, memorandum, issue day) as the events
 * arrive; a request only sums buckets, it never reads the trail. Every figure counts the assignments
 * *issued* in the period (by Beijing day) and where they stand now.
 */
@Injectable()
export class StatsQueries {
  constructor(
    @Inject(TRACKING_DB) private readonly db: DataSource,
    @Inject(FOLLOW_UP_OPTIONS) private readonly options: FollowUpOptions,
  ) {}

  /** Per department, with the application rate of the period. */
  async byDepartment(principal: Principal, asked: StatsQueryDto) {
    const query = scoped(principal, asked);
    const rows = await this.sum(query, 'dept', 'dept');
    const threshold = this.options.applicationThreshold;
    const byDepartment = rows.map((r) => {
      const share = r.assigned > 0 ? r.acted / r.assigned : 0;
      return {
        dept: r.dept as string,
        assigned: r.assigned,
        acted: r.acted,
        share,
        applies: share >= threshold,
      };
    });
    const applying = byDepartment.filter((d) => d.applies).length;
    return {
      period: { from: query.from ?? null, to: query.to ?? null },
      region: query.region ?? null,
      items: rows.map((r) => ({
        dept: r.dept as string,
        ...Object.fromEntries(DEPARTMENT_FIELDS.map((f) => [f, r[f]])),
      })),
      nextCursor: null,
      // 应用率: implementing departments that acted on at least `threshold` of their assignments
      applicationRate: {
        threshold,
        departments: byDepartment.length,
        applying,
        rate: byDepartment.length > 0 ? applying / byDepartment.length : null,
        byDepartment,
      },
    };
  }

  async byListType(principal: Principal, asked: StatsQueryDto) {
    const query = scoped(principal, asked);
    return page(query, await this.sum(query, 'list_type', 'listType'));
  }

  async byMemorandum(principal: Principal, asked: StatsQueryDto) {
    const query = scoped(principal, asked);
    return page(query, await this.sum(query, 'memorandum_code', 'memorandumCode'));
  }

  /** Daily buckets (issue day, Beijing time) over the period. */
  async byDay(principal: Principal, asked: StatsQueryDto) {
    const query = scoped(principal, asked);
    return page(query, await this.sum(query, "to_char(day, 'YYYY-MM-DD')", 'day'));
  }

  private async sum(query: StatsQueryDto, groupBy: string, as: string): Promise<Row[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.from) where.push(`day >= ${param(query.from)}::date`);
    if (query.to) where.push(`day <= ${param(query.to)}::date`);
    if (query.dept) where.push(`dept = ${param(query.dept)}`);
    if (query.listType) where.push(`list_type = ${param(query.listType)}`);
    if (query.memorandumCode) where.push(`memorandum_code = ${param(query.memorandumCode)}`);
    if (query.region) {
      where.push(
        `dept IN (SELECT dept FROM tracking.department_regions WHERE region = ${param(query.region)})`,
      );
    }
    const sums = STAT_COUNTERS.map((c) => `sum(${COUNTER_COLUMNS[c]})::int AS "${c}"`).join(', ');
    return this.db.query(
      `SELECT ${groupBy} AS "${as}", ${sums} FROM tracking.stats_daily
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       GROUP BY 1 ORDER BY 1`,
      params,
    );
  }
}

function page(query: StatsQueryDto, rows: Row[]) {
  return {
    period: { from: query.from ?? null, to: query.to ?? null },
    region: query.region ?? null,
    items: rows,
    nextCursor: null,
  };
}

/** The query limited to the supervisor's region (decision 0020). */
function scoped(principal: Principal, query: StatsQueryDto): StatsQueryDto {
  const region = regionScope(principal, query.region);
  return region === query.region ? query : { ...query, region };
}
