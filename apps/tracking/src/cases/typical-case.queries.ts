import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { regionScope } from '../access/region-scope';
import { TRACKING_DB } from '../tracking.tokens';
import { CaseListQueryDto, CaseReportQueryDto, PublicCaseQueryDto } from './typical-case.dto';
import { caseNotFound, mayReadCase } from './typical-case.access';
import { ACCEPTED_STATUSES } from './typical-case.state-machine';
import { beijingDay, TypicalCaseRow, TypicalCaseStore } from './typical-case.store';
import { toCaseView, toPublicCaseView } from './typical-case.view';

/** 典型案例 (decision 0036): the cases as the departments, the credit office and the public read them. */
@Injectable()
export class TypicalCaseQueries {
  private readonly store: TypicalCaseStore;

  constructor(@Inject(TRACKING_DB) db: DataSource) {
    this.store = new TypicalCaseStore(db);
  }

  /** One case, for the nominating department and the credit office that screens it (404 for others). */
  async readableBy(principal: Principal, id: string): Promise<TypicalCaseRow> {
    const row = await this.store.load(id);
    if (!row || !mayReadCase(principal, row)) throw caseNotFound(id);
    return row;
  }

  /**
   * Cases by nomination day: a screener's of any department (of its region, admins all), another caller's
   * of its own department; oldest first, paged by (nominated at, id).
   */
  async nominated(principal: Principal, query: CaseListQueryDto, screener: boolean) {
    const page = await this.store.page({
      timeColumn: 'nominated_at',
      statuses: query.status ? [query.status] : undefined,
      kind: query.kind,
      dept: screener ? query.dept : principal.dept,
      region: screener && !principal.roles.includes('admin') ? regionScope(principal) : undefined,
      from: query.from ? beijingDay(query.from) : undefined,
      to: query.to ? beijingDay(query.to, true) : undefined,
      cursor: query.cursor,
      limit: query.limit ?? 100,
    });
    return { items: page.items.map(toCaseView), nextCursor: page.nextCursor };
  }

  /** Every accepted case of the period (by the acceptance day), of the caller's region (admins: all). */
  async accepted(principal: Principal, query: CaseReportQueryDto): Promise<TypicalCaseRow[]> {
    const region = principal.roles.includes('admin') ? undefined : regionScope(principal);
    const rows: TypicalCaseRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.page({
        timeColumn: 'decided_at',
        statuses: ACCEPTED_STATUSES,
        kind: query.kind,
        dept: query.dept,
        region,
        from: query.from ? beijingDay(query.from) : undefined,
        to: query.to ? beijingDay(query.to, true) : undefined,
        cursor,
        limit: 500,
      });
      rows.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return rows;
  }

  /** Published cases (公示), newest first, masked for the public. */
  async published(query: PublicCaseQueryDto) {
    const page = await this.store.page({
      timeColumn: 'published_at',
      statuses: ['published'],
      kind: query.kind,
      region: query.region,
      cursor: query.cursor,
      limit: query.limit ?? 20,
      newestFirst: true,
    });
    return { items: page.items.map(toPublicCaseView), nextCursor: page.nextCursor };
  }
}
