import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString } from 'class-validator';
import { DataSource } from 'typeorm';
import { Principal, supervisedRegion } from '@credit/auth';
import { looksLikeIdNumber, normalizeIdentifier } from '@credit/identifiers';
import { decodeCursor, encodeCursor, maskIdentifier, PageQueryDto } from '@credit/platform';
import { deptInRegion } from '../access/region-scope';
import { ENFORCEMENT_DB } from '../enforcement.tokens';

export class CheckLogQuery extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() dept?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() subjectId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() action?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() decision?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() to?: string;
}

/**
 * The check log for supervisors: who checked which subjects, when, for what, with what answer. A person's
 * ID number is personal data: it is masked, except for the credit office's administrators (`admin`).
 */
@Injectable()
export class CheckLogQueries {
  constructor(@Inject(ENFORCEMENT_DB) private readonly db: DataSource) {}

  /** A page of checks, newest first, in the supervisor's region. */
  async list(principal: Principal, query: CheckLogQuery) {
    const limit = query.limit ?? 100;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.dept) add('dept = ?', query.dept);
    const region = supervisedRegion(principal);
    if (region !== undefined) add(deptInRegion('dept', '?'), region); // a region's supervisor: its region only
    if (query.subjectId) add('subject_id = ?', normalizeIdentifier(query.subjectId));
    if (query.action) add('action = ?', query.action);
    if (query.decision) add('decision = ?', query.decision);
    if (query.from) add('checked_at >= ?', query.from);
    if (query.to) add('checked_at < ?', query.to);
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      params.push(at, id);
      where.push(`(checked_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit + 1);
    const rows: {
      id: string;
      dept: string;
      actor: string;
      subject_id: string;
      action: string;
      stage: string | null;
      decision: string;
      reasons: unknown[];
      checked_at: Date;
    }[] = await this.db.query(
      `SELECT id, dept, actor, subject_id, action, stage, decision, reasons, checked_at FROM enforcement.checks
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY checked_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const inClear = principal.roles.includes('admin');
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        checkId: r.id,
        dept: r.dept,
        actor: r.actor,
        subjectId: inClear || !looksLikeIdNumber(r.subject_id) ? r.subject_id : maskIdentifier(r.subject_id),
        action: r.action,
        stage: r.stage,
        decision: r.decision,
        reasons: r.reasons.length,
        checkedAt: r.checked_at.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.checked_at.toISOString(), last.id]) : null,
    };
  }
}
