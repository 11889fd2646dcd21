import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { Quota } from '@credit/platform';
import { StatsQueryDto } from '../stats/stats.dto';
import { Assessment, ASSESSMENT_FIGURES, AssessmentFigure } from './assessment';
import { AssessmentQueries } from './assessment.queries';
import { Column, CSV_TYPE, toCsv, toXlsx, XLSX_TYPE } from './tabular';
import { RecordsAccess } from '@credit/messaging';

const FORMATS = ['json', 'csv', 'xlsx'] as const;

class AssessmentQuery extends StatsQueryDto {
  @ApiProperty({ description: 'the department assessed (required)' })
  declare dept?: string;

  @ApiPropertyOptional({ enum: FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: (typeof FORMATS)[number];
}

const HEADERS: Record<AssessmentFigure, string> = {
  received: '下发 received',
  acknowledged: '签收 acknowledged',
  acknowledgedOnTime: '按时签收 acknowledgedOnTime',
  feedbackReported: '反馈 feedbackReported',
  feedbackOnTime: '按时反馈 feedbackOnTime',
  enforced: '已实施 enforced',
  notApplicable: '不适用 notApplicable',
  acted: '已应用 acted',
  lifted: '已解除 lifted',
  liftsConfirmed: '解除确认 liftsConfirmed',
  overdueNow: '当前逾期 overdueNow',
  everOverdue: '曾逾期 everOverdue',
  escalated: '二次督办 escalated',
};

type Line = Record<AssessmentFigure, number> & {
  scope: string;
  memorandumCode: string | null;
  listType: string | null;
  total?: Assessment;
};

const totalOnly = (value: (a: Assessment) => string | number | null) => (l: Line) =>
  l.total ? value(l.total) : null;

const COLUMNS: Column<Line>[] = [
  { header: '范围 scope', value: (l) => l.scope },
  { header: '备忘录 memorandum', value: (l) => l.memorandumCode },
  { header: '名单 listType', value: (l) => l.listType },
  ...ASSESSMENT_FIGURES.map((f) => ({ header: HEADERS[f], value: (l: Line) => l[f] })),
  {
    header: '应用比例 share',
    value: totalOnly((a) =>
      a.application.share === null ? null : Math.round(a.application.share * 10000) / 10000,
    ),
  },
  {
    header: '达标 applies',
    value: totalOnly((a) => (a.application.applies === null ? null : a.application.applies ? 'yes' : 'no')),
  },
  { header: '核查命中 checkHits', value: totalOnly((a) => a.checks.hits) },
  { header: '本部门措施命中 hitsOnOwnMeasures', value: totalOnly((a) => a.checks.hitsOnOwnMeasures) },
  { header: '命中已处理 hitsDecided', value: totalOnly((a) => a.checks.decided) },
  // as an initiating department: the subjects' due process (issue 13)
  { header: '异议 objectionsOpened', value: totalOnly((a) => a.dueProcess.objections.opened) },
  {
    header: '异议按时办结 objectionsResolvedOnTime',
    value: totalOnly((a) => a.dueProcess.objections.resolvedOnTime),
  },
  { header: '异议逾期 objectionsOverdueNow', value: totalOnly((a) => a.dueProcess.objections.overdueNow) },
  { header: '修复申请 repairsSubmitted', value: totalOnly((a) => a.dueProcess.repairs.submitted) },
  {
    header: '按时受理 repairsAcceptedOnTime',
    value: totalOnly((a) => a.dueProcess.repairs.acceptedOnTime),
  },
  {
    header: '按时决定 repairsDecidedOnTime',
    value: totalOnly((a) => a.dueProcess.repairs.decidedOnTime),
  },
  { header: '修复逾期 repairsOverdueNow', value: totalOnly((a) => a.dueProcess.repairs.overdueNow) },
  { header: '修复曾逾期 repairsEverOverdue', value: totalOnly((a) => a.dueProcess.repairs.everOverdue) },
  { header: '当前逾期合计 overdueNowTotal', value: totalOnly((a) => a.overdueNow.total) },
];

/** 考核报表: one department's record for a period, as JSON, CSV or XLSX. */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/reports/assessment')
export class AssessmentController {
  constructor(private readonly assessments: AssessmentQueries) {}

  /**
   * Supervisors read any department's; a department's own implementers, systems and (for its due
   * process as an initiating department) initiators read its own.
   */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get()
  @Roles('supervisor', 'implementer', 'system', 'initiator')
  @Quota('exports')
  async assessment(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AssessmentQuery,
    @Res() reply: FastifyReply,
  ) {
    const a = await this.assessments.forReader(principal, query);
    const format = query.format ?? 'json';
    if (format === 'json') {
      void reply.header('content-type', 'application/json; charset=utf-8').send(a);
      return;
    }
    const lines: Line[] = [
      { scope: '合计 total', memorandumCode: null, listType: null, ...a.totals, total: a },
      ...a.byMeasure.map((m) => ({ ...m, scope: m.measureCode })),
    ];
    const period = `${a.period.from ?? '…'}–${a.period.to ?? '…'}`;
    const verdict = a.application.applies === null ? '无任务' : a.application.applies ? '达标' : '未达标';
    const body =
      format === 'xlsx'
        ? await toXlsx('assessment', COLUMNS, lines, `${a.dept} 联合奖惩考核 ${period}（${verdict}）`)
        : toCsv(COLUMNS, lines);
    void reply
      .header('content-type', format === 'xlsx' ? XLSX_TYPE : CSV_TYPE)
      .header(
        'content-disposition',
        `attachment; filename="${encodeURIComponent(`assessment-${a.dept}-${period}`)}.${format}"`,
      )
      .send(body);
  }
}
