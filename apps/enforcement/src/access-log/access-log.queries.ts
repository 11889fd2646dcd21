import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString } from 'class-validator';
import { DataSource } from 'typeorm';
import { Principal, supervisedRegion } from '@credit/auth';
import { looksLikeIdNumber, normalizeIdentifier } from '@credit/identifiers';
import {
  AccessErrors,
  decodeCursor,
  DomainError,
  encodeCursor,
  maskIdentifier,
  PageQueryDto,
} from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { AccessLogRow, readAccessLog } from './access-log.store';

export class AccessLogQuery extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() subjectId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() dept?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() to?: string;
}

export class OwnAccessLogQuery extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() to?: string;
}

const page = <T>(rows: AccessLogRow[], limit: number, view: (r: AccessLogRow) => T) => {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor([last.at.toISOString(), last.id]) : null,
  };
};

/**
 * 查询记录: who read or checked which subject's data, in any service, and when (decision 0021). Append-only;
 * there is no route to change or remove a record.
 */
@Injectable()
export class AccessLogQueries {
  constructor(@Inject(ENFORCEMENT_DB) private readonly db: DataSource) {}

  /**
   * For supervisors: every read, with the reader (sub, dept, role). ID numbers masked except for admins.
   * A supervisor with a `region` claim sees the reads of its region's departments only (decision 0020).
   */
  async list(principal: Principal, query: AccessLogQuery) {
    const limit = query.limit ?? 100;
    const region = supervisedRegion(principal);
    if (region !== undefined && query.dept !== undefined) await this.assertDeptInRegion(query.dept, region);
    const rows = await readAccessLog(this.db, {
      // a pseudonym (`anon:…`, an anonymised subject) is looked up as it is
      subjectId: query.subjectId?.startsWith('anon:')
        ? query.subjectId
        : query.subjectId && normalizeIdentifier(query.subjectId),
      dept: query.dept,
      region,
      from: query.from,
      to: query.to,
      after: query.cursor ? (decodeCursor(query.cursor) as [string, string]) : undefined,
      limit: limit + 1,
    });
    const inClear = principal.roles.includes('admin');
    return page(rows, limit, (r) => ({
      at: r.at.toISOString(),
      sub: r.sub,
      dept: r.dept,
      role: r.role,
      subjectId:
        r.subject_id && !inClear && looksLikeIdNumber(r.subject_id)
          ? maskIdentifier(r.subject_id)
          : r.subject_id,
      what: r.what,
      service: r.service,
    }));
  }

  /** 403 when `dept` is not a department of the supervisor's region (unknown: not of it either). */
  private async assertDeptInRegion(dept: string, region: string): Promise<void> {
    const [row]: { region: string }[] = await this.db.query(
      'SELECT region FROM enforcement.known_departments WHERE code = $1',
      [dept],
    );
    if (row?.region !== region)
      throw new DomainError({
        error: AccessErrors.OUTSIDE_REGION,
        detail: `this supervisor oversees region ${region} only`,
      });
  }

  /**
   * For the subject itself (its identifier from its token): which department read or checked its data,
   * how and when — not which member of staff.
   */
  async own(principal: Principal, query: OwnAccessLogQuery) {
    const limit = query.limit ?? 100;
    const rows = await readAccessLog(this.db, {
      subjectId: normalizeIdentifier(principal.sub),
      from: query.from,
      to: query.to,
      staffOnly: true,
      after: query.cursor ? (decodeCursor(query.cursor) as [string, string]) : undefined,
      limit: limit + 1,
    });
    return page(rows, limit, (r) => ({ at: r.at.toISOString(), dept: r.dept, what: r.what }));
  }
}
