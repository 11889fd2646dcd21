import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Public, Roles } from '@credit/auth';
import { RecordsAccess } from '@credit/messaging';
import { DomainError, Quota, uuidParam } from '@credit/platform';
import { Column, sendTable } from '../reports/tabular';
import {
  AcceptCaseDto,
  CaseListQueryDto,
  CaseReportQueryDto,
  NominateCaseDto,
  PublicCaseQueryDto,
  ReasonDto,
} from './typical-case.dto';
import { TypicalCaseQueries } from './typical-case.queries';
import { TypicalCaseRow } from './typical-case.store';
import { toCaseView, toPublicCaseView } from './typical-case.view';
import { NominateTypicalCaseUseCase } from './nominate-typical-case.usecase';
import { ScreenTypicalCaseUseCase } from './screen-typical-case.usecase';
import { CaseErrors } from './case.errors';

const uuid = uuidParam('id');
const SCREENERS = ['supervisor', 'admin'] as const;
type PublicCase = ReturnType<typeof toPublicCaseView>;

/** 典型案例 (issue 14): nominated by the departments, screened by the credit office (decision 0036). */
@ApiTags('typical cases (典型案例)')
@ApiBearerAuth()
@Controller('v1/cases')
export class TypicalCasesController {
  constructor(
    private readonly nominateCase: NominateTypicalCaseUseCase,
    private readonly screenCase: ScreenTypicalCaseUseCase,
    private readonly queries: TypicalCaseQueries,
  ) {}

  @RecordsAccess() // the answer shows the subjects of the entries
  @Post()
  @Roles('initiator', 'implementer')
  async nominate(@CurrentPrincipal() principal: Principal, @Body() body: NominateCaseDto) {
    return toCaseView(await this.nominateCase.execute(principal, body));
  }

  /**
   * The nominating department sees its own cases; the credit office every case (of its region). The period
   * is of the nomination day.
   */
  @RecordsAccess()
  @Get()
  @Roles('initiator', 'implementer', ...SCREENERS)
  async list(@CurrentPrincipal() principal: Principal, @Query() query: CaseListQueryDto) {
    const screener = principal.roles.some((r) => (SCREENERS as readonly string[]).includes(r));
    if (!screener && query.dept !== undefined && query.dept !== principal.dept)
      throw new DomainError({
        error: CaseErrors.OUTSIDE_DEPARTMENT,
        detail: 'a department lists its own cases only',
      });
    return this.queries.nominated(principal, query, screener);
  }

  @RecordsAccess()
  @Get(':id')
  @Roles('initiator', 'implementer', ...SCREENERS)
  async one(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return toCaseView(await this.queries.readableBy(principal, id));
  }

  @Post(':id/screening')
  @HttpCode(200)
  @Roles(...SCREENERS)
  async screen(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return statusOf(await this.screenCase.execute(principal, id, 'screen'));
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles(...SCREENERS)
  async accept(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: AcceptCaseDto,
  ) {
    return statusOf(await this.screenCase.execute(principal, id, 'accept', body.note));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles(...SCREENERS)
  async reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ReasonDto,
  ) {
    return statusOf(await this.screenCase.execute(principal, id, 'reject', body.reason));
  }

  /** 公示: flagged for publication; only a case of class-A entries. */
  @Post(':id/publication')
  @HttpCode(200)
  @Roles(...SCREENERS)
  async publish(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return statusOf(await this.screenCase.execute(principal, id, 'publish'));
  }

  @Post(':id/withdrawal')
  @HttpCode(200)
  @Roles(...SCREENERS)
  async withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ReasonDto,
  ) {
    return statusOf(await this.screenCase.execute(principal, id, 'withdraw', body.reason));
  }
}

/** What a screening step answers: no personal data, so no access record. */
function statusOf(c: TypicalCaseRow) {
  const view = toCaseView(c);
  return {
    id: view.id,
    status: view.status,
    screening: view.screening,
    decision: view.decision,
    publishedAt: view.publishedAt,
    withdrawal: view.withdrawal,
  };
}

const join = (values: (string | null)[]) => values.filter((v) => v !== null && v !== '').join('; ');

/**
 * The province's columns (择优上报至省信用办): persons masked as on the public route, so the file carries no
 * more personal data than 公示 does. An open-ended period has an empty end and "yes" under 至履行.
 */
const CASE_COLUMNS: Column<{ row: TypicalCaseRow; shown: PublicCase }>[] = [
  { header: '案例编号 id', value: ({ row }) => row.id },
  { header: '标题 title', value: ({ shown }) => shown.title },
  { header: '类型 kind', value: ({ row }) => row.kind },
  { header: '地区 region', value: ({ row }) => row.region },
  { header: '推荐部门 nominatingDept', value: ({ row }) => row.nominatingDept },
  {
    header: '主体 subjects',
    value: ({ shown }) => join(shown.entries.map((e) => `${e.subject.name} ${e.subject.id}`)),
  },
  { header: '名单 listTypes', value: ({ shown }) => join(shown.entries.map((e) => e.listType)) },
  {
    header: '决定文书 decisions',
    value: ({ shown }) => join(shown.entries.map((e) => e.decision.documentNo)),
  },
  { header: '期限起 periodFrom', value: ({ shown }) => join(shown.entries.map((e) => e.period.from)) },
  { header: '期限止 periodTo', value: ({ shown }) => join(shown.entries.map((e) => e.period.to)) },
  {
    header: '至履行 openEnded',
    value: ({ shown }) => join(shown.entries.map((e) => (e.period.openEnded ? 'yes' : 'no'))),
  },
  {
    header: '实施措施 measures',
    value: ({ shown }) => join(shown.measures.map((m) => `${m.dept}:${m.measureCode}`)),
  },
  { header: '案例摘要 summary', value: ({ shown }) => shown.summary },
  { header: '状态 status', value: ({ row }) => row.status },
  { header: '审定时间 acceptedAt', value: ({ row }) => row.decidedAt?.toISOString() ?? null },
  { header: '公示时间 publishedAt', value: ({ row }) => row.publishedAt?.toISOString() ?? null },
];

/** The accepted cases of a period (by the acceptance day) for the province, as CSV or XLSX. */
@ApiTags('typical cases (典型案例)')
@ApiBearerAuth()
@Controller('v1/reports')
export class TypicalCaseReportController {
  constructor(private readonly queries: TypicalCaseQueries) {}

  @Get('cases')
  @Roles(...SCREENERS)
  @Quota('exports')
  async cases(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CaseReportQueryDto,
    @Res() reply: FastifyReply,
  ) {
    const { format = 'csv' } = query;
    const rows = await this.queries.accepted(principal, query);
    const period = `${query.from ?? '…'}–${query.to ?? '…'}`;
    await sendTable(reply, format, {
      name: `cases-${period}`,
      sheet: 'cases',
      title: `联合奖惩典型案例 ${period}`,
      columns: CASE_COLUMNS,
      rows: rows.map((row) => ({ row, shown: toPublicCaseView(row) })),
    });
  }
}

/**
 * 公示 of typical cases: the policy has them shown on the city's sites (杭信用〔2016〕2号 item 10). Only
 * published cases, only of class-A entries, persons masked; anonymous like /public/v1/entries (no access
 * record, a per-address quota).
 */
@ApiTags('public disclosure (公示)')
@Controller('public/v1/cases')
export class PublicCasesController {
  constructor(private readonly queries: TypicalCaseQueries) {}

  @Get()
  @Public()
  @Quota('public')
  async list(@Query() query: PublicCaseQueryDto) {
    return this.queries.published(query);
  }
}
