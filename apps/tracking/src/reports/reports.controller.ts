import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { Quota } from '@credit/platform';
import { OverdueQueries, toOverdueView } from '../follow-up/overdue.queries';
import { OverdueQueryDto } from '../follow-up/overdue.dto';
import { StatsQueries } from '../stats/stats.queries';
import { StatsQueryDto } from '../stats/stats.dto';
import { Column, sendTable } from './tabular';
import { RecordsAccess } from '@credit/messaging';

const FORMATS = ['csv', 'xlsx'] as const;

class DepartmentReportQuery extends StatsQueryDto {
  @ApiPropertyOptional({ enum: FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: (typeof FORMATS)[number];
}

class OverdueReportQuery extends OverdueQueryDto {
  @ApiPropertyOptional({ enum: FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: (typeof FORMATS)[number];
}

type DepartmentRow = { dept: string; share: number | null; applies: boolean | null } & Record<
  string,
  unknown
>;
type OverdueRow = ReturnType<typeof toOverdueView>;

const DEPARTMENT_COLUMNS: Column<DepartmentRow>[] = [
  { header: '部门 dept', value: (r) => r.dept },
  { header: '下发 assigned', value: (r) => r.assigned as number },
  { header: '签收 acknowledged', value: (r) => r.acknowledged as number },
  { header: '按时签收 acknowledgedOnTime', value: (r) => r.acknowledgedOnTime as number },
  { header: '已实施 enforced', value: (r) => r.enforced as number },
  { header: '不适用 notApplicable', value: (r) => r.notApplicable as number },
  { header: '解除确认 liftsConfirmed', value: (r) => r.liftsConfirmed as number },
  { header: '逾期 overdue', value: (r) => r.overdue as number },
  {
    header: '反馈率 share acted',
    value: (r) => (r.share === null ? null : Math.round(r.share * 10000) / 10000),
  },
  { header: '达标 applies', value: (r) => (r.applies === null ? null : r.applies ? 'yes' : 'no') },
];

const OVERDUE_COLUMNS: Column<OverdueRow>[] = [
  { header: '部门 dept', value: (r) => r.dept },
  { header: '措施 measureCode', value: (r) => r.measureCode },
  { header: '名单 listType', value: (r) => r.listType },
  { header: '条目 entryId', value: (r) => r.entryId },
  { header: '任务 assignmentId', value: (r) => r.id },
  { header: '逾期类型 kind', value: (r) => r.kind },
  { header: '督办级别 level', value: (r) => r.level },
  { header: '期限 deadline', value: (r) => r.deadline },
  { header: '逾期天数 ageDays', value: (r) => r.ageDays },
];

/** 报表: the statistics and the overdue list as CSV or XLSX, for a period and the same filters as the routes. */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly stats: StatsQueries,
    private readonly overdue: OverdueQueries,
  ) {}

  @Get('departments')
  @Roles('supervisor')
  @Quota('exports')
  async departments(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DepartmentReportQuery,
    @Res() reply: FastifyReply,
  ) {
    const { format = 'csv', ...filters } = query;
    const result = await this.stats.byDepartment(principal, filters); // the caller's region only
    const applies = new Map(result.applicationRate.byDepartment.map((d) => [d.dept, d]));
    const rows: DepartmentRow[] = result.items.map((r) => ({
      ...r,
      share: applies.get(r.dept)?.share ?? null,
      applies: applies.get(r.dept)?.applies ?? null,
    }));
    const period = `${filters.from ?? '…'}–${filters.to ?? '…'}`;
    await this.send(
      reply,
      format,
      `departments-${period}`,
      'departments',
      DEPARTMENT_COLUMNS,
      rows,
      `部门联合奖惩实施情况 ${period}`,
    );
  }

  @RecordsAccess() // who read which subjects goes to the access log
  @Get('overdue')
  @Roles('supervisor')
  @Quota('exports')
  async overdueList(
    @CurrentPrincipal() principal: Principal,
    @Query() query: OverdueReportQuery,
    @Res() reply: FastifyReply,
  ) {
    const { format = 'csv', ...filters } = query;
    const rows: OverdueRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.overdue.list(principal, { ...filters, limit: 500, cursor });
      rows.push(...(page.items as OverdueRow[]));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    await this.send(reply, format, 'overdue', 'overdue', OVERDUE_COLUMNS, rows, '逾期未反馈任务清单');
  }

  private async send<T>(
    reply: FastifyReply,
    format: 'csv' | 'xlsx',
    name: string,
    sheet: string,
    columns: Column<T>[],
    rows: T[],
    title: string,
  ) {
    await sendTable(reply, format, { name, sheet, title, columns, rows });
  }
}
