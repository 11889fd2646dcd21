import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { deptInRegion, regionScope } from '../access/region-scope';
import { TRACKING_DB } from '../tracking.tokens';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export class OriginStatsQueryDto {
  @ApiPropertyOptional({ description: 'first day an entry was received, YYYY-MM-DD (UTC+8), inclusive' })
  @IsOptional()
  @Matches(ISO_DAY, { message: 'from must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'last day an entry was received, YYYY-MM-DD (UTC+8), inclusive' })
  @IsOptional()
  @Matches(ISO_DAY, { message: 'to must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'one origin region code (行政区划代码)' })
  @IsOptional()
  @IsString()
  originRegion?: string;
}

interface OriginRow {
  originRegion: string;
  received: number;
  recognised: number;
  withdrawn: number;
  inForce: number;
  assignments: number;
  lifted: number;
  hits: number;
}

/**
 * 区域联合奖惩 (decision 0035): what partner regions sent us and what it caused here, per origin region —
 * entries recognised (registered in force), withdrawn by their origin, still in force; the assignments
 * they fanned out to and the lifts; the check hits (block, warn, priority) they answered. `received` is
 * the documents accepted: a publication and, later, its withdrawal. Refused documents store nothing; they
 * are counted by the registry's metric `credit_exchange_refused_total`.
 */
@Injectable()
export class OriginStatsQueries {
  constructor(@Inject(TRACKING_DB) private readonly db: DataSource) {}

  async byOriginRegion(principal: Principal, query: OriginStatsQueryDto) {
    // a supervisor of one region (decision 0020): the assignments and hits of its departments only
    const region = regionScope(principal) ?? null;
    const rows: OriginRow[] = await this.db.query(
      `WITH o AS (
         SELECT entry_id, origin_region, published_at, ended_at, end_reason FROM tracking.entries
         WHERE origin_region IS NOT NULL
           AND ($1::text IS NULL OR origin_region = $1)
           AND ($2::date IS NULL OR ((published_at AT TIME ZONE 'UTC') + interval '8 hours')::date >= $2::date)
           AND ($3::date IS NULL OR ((published_at AT TIME ZONE 'UTC') + interval '8 hours')::date <= $3::date)
       ), a AS (
         SELECT o.origin_region, count(*) FILTER (WHERE f.issued)::int AS assignments,
                count(*) FILTER (WHERE f.lifted_at IS NOT NULL)::int AS lifted
         FROM o JOIN tracking.follow_up_assignments f ON f.entry_id = o.entry_id
         WHERE $4::text IS NULL OR ${deptInRegion('f.dept', '$4')} GROUP BY 1
       ), h AS (
         SELECT o.origin_region, count(DISTINCT (c.check_id, c.entry_id))::int AS hits
         FROM o JOIN tracking.check_hits c ON c.entry_id = o.entry_id
         WHERE c.decision IS DISTINCT FROM 'allow' AND ($4::text IS NULL OR ${deptInRegion('c.dept', '$4')})
         GROUP BY 1
       )
       SELECT o.origin_region AS "originRegion",
              (count(*) FILTER (WHERE o.published_at IS NOT NULL)
                + count(*) FILTER (WHERE o.end_reason = 'withdrawn_by_origin'))::int AS received,
              count(*) FILTER (WHERE o.published_at IS NOT NULL)::int AS recognised,
              count(*) FILTER (WHERE o.end_reason = 'withdrawn_by_origin')::int AS withdrawn,
              count(*) FILTER (WHERE o.published_at IS NOT NULL AND o.ended_at IS NULL)::int AS "inForce",
              COALESCE(max(a.assignments), 0)::int AS assignments,
              COALESCE(max(a.lifted), 0)::int AS lifted,
              COALESCE(max(h.hits), 0)::int AS hits
       FROM o LEFT JOIN a ON a.origin_region = o.origin_region LEFT JOIN h ON h.origin_region = o.origin_region
       GROUP BY o.origin_region ORDER BY o.origin_region`,
      [query.originRegion ?? null, query.from ?? null, query.to ?? null, region],
    );
    return {
      period: { from: query.from ?? null, to: query.to ?? null },
      region,
      items: rows,
      nextCursor: null,
    };
  }
}
