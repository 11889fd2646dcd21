import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import ReactECharts from 'echarts-for-react/lib/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo, useState } from 'react';
import { Navigate, Route, Routes, useSearchParams } from 'react-router-dom';
import { download, request } from '../../api/client';
import { ProblemAlert, StatusTag } from '../../components/common';
import {
  applicationRateOption,
  CheckSummary,
  DailyStats,
  dailyOption,
  DepartmentStats,
  hitsOption,
  OverdueCounts,
  overdueOption,
  totalsOf,
} from '../../lib/charts';
import { usePrefersReducedMotion } from '../../lib/reduced-motion';
import { beijingDay, dayjs, formatTime } from '../../lib/time';
import { Page, useCursorList } from '../../lib/use-cursor';
import { CasesPage } from '../cases';
import { LegalityReportPage, PublicationFeedPage } from './publication';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

const qs = (params: Record<string, string | number | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

function useDepartmentNames() {
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => request<Page<{ code: string; name: string; region: string }>>('GET', '/v1/departments'),
  });
  const names = useMemo(
    () => Object.fromEntries((departments.data?.items ?? []).map((d) => [d.code, d.name])),
    [departments.data],
  );
  const regions = useMemo(
    () => [...new Set((departments.data?.items ?? []).map((d) => d.region))].sort(),
    [departments.data],
  );
  return { names, regions };
}

function Chart({ option, label }: { option: object; label: string }) {
  const reduced = usePrefersReducedMotion();
  const shown = useMemo(() => (reduced ? { ...option, animation: false } : option), [option, reduced]);
  return (
    <div role="img" aria-label={label}>
      <ReactECharts echarts={echarts} option={shown} style={{ height: 280 }} notMerge />
    </div>
  );
}

function DashboardPage() {
  const { names, regions } = useDepartmentNames();
  const [search, setSearch] = useSearchParams();
  const from = search.get('from') ?? beijingDay(-29);
  const to = search.get('to') ?? beijingDay(0);
  const region = search.get('region') ?? undefined;
  const period = qs({ from, to, region });
  const stats = useQuery({
    queryKey: ['stats-departments', period],
    queryFn: () => request<DepartmentStats>('GET', `/v1/stats/departments?${period}`),
  });
  const daily = useQuery({
    queryKey: ['stats-daily', period],
    queryFn: () => request<DailyStats>('GET', `/v1/stats/daily?${period}`),
  });
  // the region's counts now (a rollup): complete however many are overdue
  const overdue = useQuery({
    queryKey: ['overdue-counts', region],
    queryFn: () => request<OverdueCounts>('GET', `/v1/overdue/counts?${qs({ region })}`),
  });
  const checks = useQuery({
    queryKey: ['check-summary', period],
    queryFn: () =>
      request<CheckSummary>(
        'GET',
        // whole Beijing days (decision 0079); the page shows no most-checked subjects: top 0
        `/v1/check-log/summary?${qs({ from: `${from}T00:00:00+08:00`, to: `${dayjs(to).add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00`, top: 0 })}`,
      ),
  });
  const totals = stats.data ? totalsOf(stats.data) : undefined;
  const setFilter = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch))
      if (v) next.set(k, v);
      else next.delete(k);
    setSearch(next, { replace: true });
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ProblemAlert error={stats.error ?? daily.error ?? overdue.error ?? checks.error} />
      <Card size="small">
        <Space wrap>
          <span>统计期间（按下发日，北京时间）</span>
          <DatePicker.RangePicker
            aria-label="统计期间"
            value={[dayjs(from), dayjs(to)]}
            allowClear={false}
            onChange={(r) =>
              r && setFilter({ from: r[0]!.format('YYYY-MM-DD'), to: r[1]!.format('YYYY-MM-DD') })
            }
          />
          <Select
            aria-label="行政区划"
            allowClear
            placeholder="全部区划"
            value={region}
            style={{ width: 160 }}
            onChange={(v) => setFilter({ region: v })}
            options={regions.map((r) => ({ value: r, label: r }))}
          />
        </Space>
      </Card>
      <Row gutter={12}>
        <Col span={6}>
          <Card size="small">
            <Statistic
              title="下发任务"
              value={totals?.assigned ?? '—'}
              valueRender={(n) => <span data-testid="total-assigned">{n}</span>}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic
              title="已签收"
              value={totals?.acknowledged ?? '—'}
              valueRender={(n) => <span data-testid="total-acknowledged">{n}</span>}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic
              title="已实施"
              value={totals?.enforced ?? '—'}
              valueRender={(n) => <span data-testid="total-enforced">{n}</span>}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic
              title="应用率"
              value={totals?.applicationRate == null ? '—' : `${(totals.applicationRate * 100).toFixed(1)}%`}
              valueRender={(n) => <span data-testid="application-rate">{n}</span>}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} lg={12}>
          <Card size="small" title="各部门应用率">
            {stats.data && (
              <Chart label="各部门应用率柱状图" option={applicationRateOption(stats.data, names)} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title="逾期任务（按部门、督办级别）"
            extra={
              <span>
                共 <span data-testid="total-overdue">{overdue.data?.total ?? '—'}</span> 项
              </span>
            }
          >
            {overdue.data && <Chart label="逾期任务堆叠柱状图" option={overdueOption(overdue.data, names)} />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="每日下发任务">
            {daily.data && <Chart label="每日下发任务折线图" option={dailyOption(daily.data)} />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="各部门核查命中与决定">
            {checks.data && <Chart label="核查命中柱状图" option={hitsOption(checks.data, names)} />}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

interface Overdue {
  id: string;
  dept: string;
  ageDays?: number | null;
  entryId: string;
  measureCode: string;
  status: string;
  kind: string;
  level: number;
  deadline: string | null;
}

function OverduePage() {
  const { names } = useDepartmentNames();
  const [dept, setDept] = useState<string>();
  const list = useCursorList<Overdue>(['overdue', dept], (cursor) =>
    request('GET', `/v1/overdue?${qs({ dept, cursor, limit: 50 })}`),
  );
  return (
    <Card title="逾期督办">
      <ProblemAlert error={list.error} />
      <Select
        aria-label="部门"
        allowClear
        placeholder="全部部门"
        style={{ width: 240, marginBottom: 12 }}
        onChange={setDept}
        options={Object.entries(names).map(([code, name]) => ({ value: code, label: name }))}
      />
      <Table<Overdue>
        size="small"
        rowKey="id"
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: '部门', render: (_, o) => names[o.dept] ?? o.dept },
          { title: '措施', dataIndex: 'measureCode' },
          { title: '状态', render: (_, o) => <StatusTag status={o.status} /> },
          { title: '逾期类型', render: (_, o) => (o.kind === 'acknowledgement' ? '未签收' : '未反馈') },
          {
            title: '督办级别',
            render: (_, o) => (
              <Tag color={o.level >= 2 ? '#a8071a' : '#ad4e00'}>{o.level >= 2 ? '已升级' : '提醒'}</Tag>
            ),
          },
          { title: '期限', render: (_, o) => formatTime(o.deadline) },
          { title: '逾期天数', dataIndex: 'ageDays' },
          { title: '条目', render: (_, o) => <a href={`/supervisor/trail?entry=${o.entryId}`}>留痕</a> },
        ]}
      />
      {list.hasNextPage && <Button onClick={() => list.fetchNextPage()}>加载更多</Button>}
    </Card>
  );
}

interface TrailRecord {
  position: number | null;
  eventId: string;
  type: string;
  time: string;
  actorDept: string | null;
  hash: string | null;
  sealed: boolean;
}
interface Verification {
  valid: boolean;
  records: number;
  sealed: number;
  unsealed: number;
  firstBroken: unknown;
}

const EVENT_NAMES: Record<string, string> = {
  'credit.list-entry.created.v1': '创建认定',
  'credit.list-entry.noticed.v1': '告知',
  'credit.list-entry.published.v1': '公示',
  'credit.list-entry.ended.v1': '移出',
  'credit.assignment.issued.v1': '下发任务',
  'credit.assignment.acknowledged.v1': '签收',
  'credit.feedback.recorded.v1': '反馈实施',
  'credit.assignment.lifted.v1': '解除',
};

function TrailPage() {
  const [search, setSearch] = useSearchParams();
  const entry = search.get('entry') ?? '';
  const trail = useQuery({
    queryKey: ['trail', entry],
    enabled: !!entry,
    queryFn: () => request<Page<TrailRecord>>('GET', `/v1/list-entries/${entry}/trail`),
  });
  const verify = useQuery({
    queryKey: ['trail-verify', entry],
    enabled: !!entry,
    queryFn: () => request<Verification>('GET', `/v1/list-entries/${entry}/trail/verify`),
  });
  return (
    <Card title="全程留痕">
      <Form layout="inline" onFinish={(v) => setSearch({ entry: v.entry.trim() })} initialValues={{ entry }}>
        <Form.Item name="entry" label="条目编号" rules={[{ required: true }]}>
          <Input style={{ width: 360 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          查看
        </Button>
      </Form>
      <div style={{ marginTop: 16 }}>
        <ProblemAlert error={trail.error ?? verify.error} />
        {verify.data && (
          <Alert
            data-testid="trail-verification"
            type={verify.data.valid ? 'success' : 'error'}
            showIcon
            message={verify.data.valid ? '哈希链校验通过' : '哈希链校验失败'}
            description={`共 ${verify.data.records} 条记录，已封存 ${verify.data.sealed} 条，待封存 ${verify.data.unsealed} 条${
              verify.data.valid ? '' : `；首个异常：${JSON.stringify(verify.data.firstBroken)}`
            }`}
            style={{ marginBottom: 16 }}
          />
        )}
        {trail.data && (
          <Timeline
            items={trail.data.items.map((r) => ({
              color: r.sealed ? 'green' : 'gray',
              children: (
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>
                    {EVENT_NAMES[r.type] ?? r.type} {r.actorDept ? `· ${r.actorDept}` : ''}
                  </Typography.Text>
                  <span>{formatTime(r.time)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.sealed ? `#${r.position} ${r.hash?.slice(0, 16)}…` : '待封存'}
                  </Typography.Text>
                </Space>
              ),
            }))}
          />
        )}
      </div>
    </Card>
  );
}

interface Gap {
  kind: string;
  entryId: string;
  dept: string | null;
  since: string;
  ageDays: number;
  clearedAt: string | null;
}

function ReconciliationPage() {
  const { message } = App.useApp();
  const [kind, setKind] = useState<string>();
  const list = useCursorList<Gap>(['gaps', kind], (cursor) =>
    request('GET', `/v1/reconciliation?${qs({ kind, cursor, limit: 50 })}`),
  );
  return (
    <Card
      title="对账缺口"
      extra={
        <Button
          onClick={async () => {
            await request('POST', '/v1/reconciliation/runs');
            message.success('已开始对账');
            await list.refetch();
          }}
        >
          立即对账
        </Button>
      }
    >
      <ProblemAlert error={list.error} />
      <Select
        aria-label="缺口类型"
        allowClear
        placeholder="全部类型"
        style={{ width: 220, marginBottom: 12 }}
        onChange={setKind}
        options={['fan_out_missing', 'lift_missing', 'lift_unconfirmed', 'check_undecided'].map((k) => ({
          value: k,
          label: k,
        }))}
      />
      <Table<Gap>
        size="small"
        rowKey={(g) => `${g.kind}-${g.entryId}-${g.dept}-${g.since}`}
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: '类型', dataIndex: 'kind' },
          { title: '条目', dataIndex: 'entryId', render: (v: string) => <code>{v.slice(0, 8)}</code> },
          { title: '部门', dataIndex: 'dept' },
          { title: '起始', dataIndex: 'since', render: (v: string) => formatTime(v) },
          { title: '天数', dataIndex: 'ageDays' },
          {
            title: '已消除',
            dataIndex: 'clearedAt',
            render: (v: string | null) => (v ? formatTime(v) : '否'),
          },
        ]}
      />
      {list.hasNextPage && <Button onClick={() => list.fetchNextPage()}>加载更多</Button>}
    </Card>
  );
}

function AssessmentPage() {
  const { names } = useDepartmentNames();
  const [dept, setDept] = useState<string>();
  const [error, setError] = useState<unknown>();
  const report = useQuery({
    queryKey: ['assessment', dept],
    enabled: !!dept,
    queryFn: () => request<Record<string, unknown>>('GET', `/v1/reports/assessment?${qs({ dept })}`),
  });
  return (
    <Card title="考核报告">
      <ProblemAlert error={error ?? report.error} />
      <Space style={{ marginBottom: 12 }}>
        <Select
          aria-label="部门"
          placeholder="选择部门"
          style={{ width: 260 }}
          onChange={setDept}
          options={Object.entries(names).map(([code, name]) => ({ value: code, label: name }))}
        />
        <Button
          disabled={!dept}
          onClick={() =>
            download(
              `/v1/reports/assessment?${qs({ dept, format: 'xlsx' })}`,
              `assessment-${dept}.xlsx`,
            ).catch(setError)
          }
        >
          导出 XLSX
        </Button>
      </Space>
      {report.data && (
        <pre style={{ background: '#fafafa', padding: 12, maxHeight: 480, overflow: 'auto' }}>
          {JSON.stringify(report.data, null, 2)}
        </pre>
      )}
    </Card>
  );
}

function ExportsPage() {
  const [error, setError] = useState<unknown>();
  const get = (path: string, name: string) => download(path, name).catch(setError);
  return (
    <Card title="数据导出">
      <ProblemAlert error={error} />
      <Space wrap>
        <Button onClick={() => get('/v1/reports/departments?format=csv', 'departments.csv')}>
          部门统计 CSV
        </Button>
        <Button onClick={() => get('/v1/reports/departments?format=xlsx', 'departments.xlsx')}>
          部门统计 XLSX
        </Button>
        <Button onClick={() => get('/v1/reports/overdue?format=csv', 'overdue.csv')}>逾期清单 CSV</Button>
        <Button onClick={() => get('/v1/reports/overdue?format=xlsx', 'overdue.xlsx')}>逾期清单 XLSX</Button>
      </Space>
    </Card>
  );
}

interface AccessRecord {
  id?: string;
  dept: string;
  subjectId: string;
  what: string;
  at: string;
  [k: string]: unknown;
}

function AccessLogPage() {
  const [filters, setFilters] = useState<{ subjectId?: string; dept?: string }>({});
  const list = useCursorList<AccessRecord>(['access-log', filters], (cursor) =>
    request('GET', `/v1/access-log?${qs({ ...filters, cursor, limit: 50 })}`),
  );
  return (
    <Card title="查询日志（谁查看了主体信息）">
      <ProblemAlert error={list.error} />
      <Form
        layout="inline"
        onFinish={(v) => setFilters({ subjectId: v.subjectId || undefined, dept: v.dept || undefined })}
        style={{ marginBottom: 12 }}
      >
        <Form.Item name="subjectId" label="主体标识">
          <Input />
        </Form.Item>
        <Form.Item name="dept" label="部门">
          <Input />
        </Form.Item>
        <Button htmlType="submit">查询</Button>
      </Form>
      <Table<AccessRecord>
        size="small"
        rowKey={(r) => r.id ?? `${r.at}-${r.subjectId}-${r.what}`}
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: '时间', dataIndex: 'at', render: (v: string) => formatTime(v) },
          { title: '部门', dataIndex: 'dept' },
          { title: '主体', dataIndex: 'subjectId' },
          { title: '操作', dataIndex: 'what' },
        ]}
      />
      {list.hasNextPage && <Button onClick={() => list.fetchNextPage()}>加载更多</Button>}
    </Card>
  );
}

export default function SupervisorPages() {
  return (
    <Routes>
      <Route path="dashboard" element={<DashboardPage />} />
      <Route path="overdue" element={<OverduePage />} />
      <Route path="trail" element={<TrailPage />} />
      <Route path="reconciliation" element={<ReconciliationPage />} />
      <Route path="assessment" element={<AssessmentPage />} />
      <Route path="exports" element={<ExportsPage />} />
      <Route path="access-log" element={<AccessLogPage />} />
      <Route path="publication" element={<PublicationFeedPage />} />
      <Route path="legality" element={<LegalityReportPage />} />
      <Route path="cases" element={<CasesPage role="supervisor" />} />
      <Route path="*" element={<Navigate to="dashboard" replace />} />
    </Routes>
  );
}
