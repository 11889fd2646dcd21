import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Progress,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link, Navigate, Route, Routes } from 'react-router-dom';
import { api, request, saveBlob, unwrap } from '../../api/client';
import { Confirmed, DeadlineTag, ProblemAlert, STATUS_LABELS, StatusTag } from '../../components/common';
import { LoadMore } from '../../components/load-more';
import { checkIdentifier } from '../../lib/identifier';
import { ImportReport, progressOf, rejectedRowsCsv, rejectionsByRow } from '../../lib/import-report';
import { dayjs, formatDate, formatTime } from '../../lib/time';
import { Page, useCursorList } from '../../lib/use-cursor';
import { CasesPage } from '../cases';
import { CommitmentsPage } from './commitments';
import { DueProcessPage } from './due-process';

export interface EntryView {
  id: string;
  listType: string;
  status: string;
  subject: { kind: string; id: string; name: string };
  decision: { documentNo: string; date: string };
  period: { from: string; to: string } | null;
  statementDeadline: string | null;
  createdAt: string;
  publishedAt: string | null;
}

function useListTypes() {
  return useQuery({
    queryKey: ['list-types'],
    queryFn: () => unwrap<Page<{ code: string; name: string }>>(api.GET('/v1/list-types')),
  });
}

function EntriesPage() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const listTypes = useListTypes();
  const [filters, setFilters] = useState<{ status?: string; listType?: string; from?: string; to?: string }>(
    {},
  );
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState<EntryView>();
  const list = useCursorList<EntryView>(['entries', filters], (cursor) =>
    unwrap(api.GET('/v1/list-entries', { params: { query: { ...filters, cursor, limit: 20 } as never } })),
  );
  const act = async (what: string, call: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await call();
      message.success(`${what}成功`);
      await client.invalidateQueries({ queryKey: ['entries'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card title="本部门名单条目">
      <ProblemAlert error={error ?? list.error} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label="状态"
          allowClear
          placeholder="状态"
          style={{ width: 120 }}
          onChange={(status) => setFilters((f) => ({ ...f, status }))}
          options={['draft', 'noticed', 'published', 'ended'].map((s) => ({
            value: s,
            label: <StatusTag status={s} />,
          }))}
        />
        <Select
          aria-label="名单类型"
          allowClear
          placeholder="名单类型"
          style={{ width: 220 }}
          onChange={(listType) => setFilters((f) => ({ ...f, listType }))}
          options={listTypes.data?.items.map((t) => ({ value: t.code, label: t.name }))}
        />
        <DatePicker.RangePicker
          aria-label="创建时间"
          onChange={(range) =>
            setFilters((f) => ({
              ...f,
              from: range?.[0]?.startOf('day').toISOString(),
              to: range?.[1]?.endOf('day').toISOString(),
            }))
          }
        />
      </Space>
      <Table<EntryView>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1000 }}
        columns={[
          { title: '主体', render: (_, e) => <a onClick={() => setOpen(e)}>{e.subject.name}</a> },
          { title: '标识', render: (_, e) => <code>{e.subject.id}</code> },
          { title: '名单类型', dataIndex: 'listType' },
          { title: '状态', render: (_, e) => <StatusTag status={e.status} /> },
          { title: '决定文书号', render: (_, e) => e.decision.documentNo },
          {
            title: '陈述申辩期限',
            render: (_, e) => <DeadlineTag deadline={e.statementDeadline} done={e.status !== 'noticed'} />,
          },
          { title: '创建时间', render: (_, e) => formatTime(e.createdAt) },
          {
            title: '操作',
            fixed: 'right',
            render: (_, e) => (
              <Space size="small">
                {e.status === 'draft' && (
                  <Button
                    size="small"
                    onClick={() =>
                      act('告知', () =>
                        unwrap(
                          api.POST('/v1/list-entries/{id}/notice', {
                            params: { path: { id: e.id } },
                            body: { channel: 'online' },
                          }),
                        ),
                      )
                    }
                  >
                    告知
                  </Button>
                )}
                {e.status === 'noticed' && (
                  <Confirmed
                    danger={false}
                    title="确认公示该条目？公示后将向实施部门下发任务。"
                    onConfirm={() =>
                      act('公示', () =>
                        unwrap(api.POST('/v1/list-entries/{id}/publish', { params: { path: { id: e.id } } })),
                      )
                    }
                  >
                    公示
                  </Confirmed>
                )}
                {e.status === 'published' && (
                  <Link to={`/initiator/cases?nominate=${e.id}`}>推荐典型案例</Link>
                )}
                {e.status === 'published' && (
                  <Confirmed
                    title="确认移出该条目？各实施部门将解除措施。"
                    onConfirm={() =>
                      act('移出', () =>
                        unwrap(
                          api.POST('/v1/list-entries/{id}/end', {
                            params: { path: { id: e.id } },
                            body: { reason: 'revoked', note: '控制台操作' },
                          }),
                        ),
                      )
                    }
                  >
                    移出
                  </Confirmed>
                )}
              </Space>
            ),
          },
        ]}
      />
      <LoadMore list={list} />
      <Drawer open={!!open} onClose={() => setOpen(undefined)} title={open?.subject.name} width={520}>
        {open && (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="条目编号">{open.id}</Descriptions.Item>
            <Descriptions.Item label="名单类型">{open.listType}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <StatusTag status={open.status} />
            </Descriptions.Item>
            <Descriptions.Item label="决定日期">{open.decision.date}</Descriptions.Item>
            <Descriptions.Item label="公示期">
              {open.period ? `${formatDate(open.period.from)} 至 ${formatDate(open.period.to)}` : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="公示时间">{formatTime(open.publishedAt)}</Descriptions.Item>
          </Descriptions>
        )}
      </Drawer>
    </Card>
  );
}

function NewEntryPage() {
  const { message } = App.useApp();
  const listTypes = useListTypes();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<string>();
  const identifier = Form.useWatch(['subject', 'id'], form) as string | undefined;
  const check = useMemo(() => (identifier ? checkIdentifier(identifier) : undefined), [identifier]);
  return (
    <Card title="新建认定（草稿）" style={{ maxWidth: 820 }}>
      <ProblemAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setError(undefined);
          try {
            const entry = await unwrap<{ id: string }>(
              api.POST('/v1/list-entries', {
                body: {
                  listType: v.listType,
                  subject: { kind: v.subject.kind, id: v.subject.id.trim(), name: v.subject.name },
                  decision: { documentNo: v.documentNo, date: v.date.format('YYYY-MM-DD'), facts: v.facts },
                  ...(v.period
                    ? {
                        period: {
                          from: v.period[0].startOf('day').toISOString(),
                          to: v.period[1].endOf('day').toISOString(),
                        },
                      }
                    : {}),
                } as never,
              }),
            );
            setCreated(entry.id);
            message.success('草稿已创建');
            form.resetFields();
          } catch (err) {
            setError(err);
          }
        }}
      >
        <Form.Item name="listType" label="名单类型" rules={[{ required: true, message: '请选择名单类型' }]}>
          <Select
            options={listTypes.data?.items.map((t) => ({ value: t.code, label: `${t.name}（${t.code}）` }))}
          />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item
            name={['subject', 'kind']}
            label="主体类型"
            rules={[{ required: true, message: '请选择主体类型' }]}
          >
            <Select
              style={{ width: 180 }}
              options={[
                { value: 'legal_person', label: '法人' },
                { value: 'unincorporated_org', label: '非法人组织' },
                { value: 'individual', label: '自然人' },
                { value: 'individual_business', label: '个体工商户' },
              ]}
            />
          </Form.Item>
          <Form.Item
            name={['subject', 'id']}
            label="统一社会信用代码或身份证号"
            validateStatus={check ? (check.ok ? 'success' : 'error') : undefined}
            help={<span data-testid="identifier-check">{check?.message}</span>}
            rules={[
              { required: true, message: '请输入标识' },
              {
                validator: (_, value) =>
                  checkIdentifier(value ?? '').ok
                    ? Promise.resolve()
                    : Promise.reject(new Error(checkIdentifier(value ?? '').message)),
              },
            ]}
          >
            <Input style={{ width: 300 }} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name={['subject', 'name']}
            label="主体名称"
            rules={[{ required: true, message: '请输入主体名称' }]}
          >
            <Input style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item
            name="documentNo"
            label="决定文书号"
            rules={[{ required: true, message: '请输入决定文书号' }]}
          >
            <Input style={{ width: 300 }} />
          </Form.Item>
          <Form.Item name="date" label="决定日期" rules={[{ required: true, message: '请选择决定日期' }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs())} />
          </Form.Item>
          <Form.Item name="period" label="公示期">
            <DatePicker.RangePicker />
          </Form.Item>
        </Space>
        <Form.Item name="facts" label="失信事实" rules={[{ required: true, message: '请输入失信事实' }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          保存草稿
        </Button>
        {created && <Typography.Text style={{ marginLeft: 12 }}>已创建：{created}</Typography.Text>}
      </Form>
    </Card>
  );
}

function ImportPage() {
  const listTypes = useListTypes();
  const [listType, setListType] = useState<string>();
  const [mode, setMode] = useState<'draft' | 'publish'>('draft');
  const [file, setFile] = useState<File>();
  const [report, setReport] = useState<ImportReport>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const [text, setText] = useState('');
  const start = async () => {
    if (!file || !listType) return;
    setError(undefined);
    setReport(undefined);
    setRunning(true);
    const importId = crypto.randomUUID();
    const content = await file.text();
    setText(content);
    const rows = Math.max(0, content.split(/\r?\n/).filter((l) => l.trim()).length - 1);
    // the progress: the import's own record, polled while the upload runs
    const poll = setInterval(async () => {
      try {
        const now = await request<ImportReport>('GET', `/v1/list-entries/imports/${importId}`);
        setReport((r) => (r?.finishedAt ? r : { ...now, total: now.total || rows }));
      } catch {
        /* not started yet */
      }
    }, 400);
    try {
      const done = await request<ImportReport>(
        'POST',
        `/v1/list-entries/imports?listType=${encodeURIComponent(listType)}&mode=${mode}&importId=${importId}`,
        file,
        {
          'content-type': file.name.endsWith('.xlsx')
            ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
            : 'text/csv',
        },
      );
      setReport(done);
    } catch (err) {
      setError(err);
      const body = (err as { problem?: Partial<ImportReport> }).problem;
      if (body?.rejections) setReport(body as ImportReport);
    } finally {
      clearInterval(poll);
      setRunning(false);
    }
  };
  const byRow = report ? rejectionsByRow(report.rejections ?? []) : [];
  return (
    <Card title="批量导入">
      <ProblemAlert error={error} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label="名单类型"
          placeholder="名单类型"
          style={{ width: 240 }}
          value={listType}
          onChange={setListType}
          options={listTypes.data?.items.map((t) => ({ value: t.code, label: `${t.name}（${t.code}）` }))}
        />
        <Select
          aria-label="导入方式"
          value={mode}
          onChange={setMode}
          style={{ width: 160 }}
          options={[
            { value: 'draft', label: '导入为草稿' },
            { value: 'publish', label: '导入并公示' },
          ]}
        />
        <Upload
          accept=".csv,.xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            return false;
          }}
          onRemove={() => setFile(undefined)}
        >
          <Button>选择文件（CSV / XLSX）</Button>
        </Upload>
        <Button type="primary" onClick={start} disabled={!file || !listType} loading={running}>
          开始导入
        </Button>
      </Space>
      {(running || report) && (
        <Progress
          aria-label="导入进度"
          percent={report ? progressOf(report) : 0}
          status={
            report?.status === 'failed'
              ? 'exception'
              : running
                ? 'active'
                : report?.rejected
                  ? 'normal'
                  : 'success'
          }
        />
      )}
      {report && (
        <>
          <Space size="large" style={{ margin: '12px 0' }}>
            <Statistic title="总行数" value={report.total} />
            <Statistic title="通过" value={report.accepted} valueStyle={{ color: '#389e0d' }} />
            <Statistic title="拒绝" value={report.rejected} valueStyle={{ color: '#cf1322' }} />
            <Statistic title="状态" value={STATUS_LABELS[report.status] ?? report.status} />
          </Space>
          {byRow.length > 0 && (
            <>
              <Button
                onClick={() =>
                  saveBlob(
                    new Blob([rejectedRowsCsv(text, report.rejections)], { type: 'text/csv' }),
                    `rejected-${report.id}.csv`,
                  )
                }
              >
                下载被拒绝的行
              </Button>
              <Table
                size="small"
                rowKey="row"
                style={{ marginTop: 12 }}
                dataSource={byRow}
                pagination={{ pageSize: 20 }}
                columns={[
                  { title: '行号', dataIndex: 'row', width: 80 },
                  {
                    title: '问题',
                    render: (_, r) => (
                      <Space direction="vertical" size={0}>
                        {r.problems.map((p) => (
                          <span key={`${p.field}-${p.code}`}>
                            {p.field}：{p.message} <code>{p.code}</code>
                          </span>
                        ))}
                      </Space>
                    ),
                  },
                ]}
              />
            </>
          )}
        </>
      )}
    </Card>
  );
}

export default function InitiatorPages() {
  return (
    <Routes>
      <Route path="entries" element={<EntriesPage />} />
      <Route path="new" element={<NewEntryPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path="pending" element={<DueProcessPage />} />
      <Route path="cases" element={<CasesPage role="initiator" />} />
      <Route path="commitments" element={<CommitmentsPage />} />
      <Route path="*" element={<Navigate to="entries" replace />} />
    </Routes>
  );
}
