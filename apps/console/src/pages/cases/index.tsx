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
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { CheckboxProps } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, download, request, unwrap } from '../../api/client';
import { Confirmed, ProblemAlert } from '../../components/common';
import { emptyText } from '../../components/fields';
import { RequiredSelect } from '../../components/form-controls';
import { LoadMore } from '../../components/load-more';
import {
  actionsOf,
  CASE_ACTIONS,
  CASE_STATUS_LABELS,
  CaseAction,
  CaseAssignment,
  caseReportUrl,
  CaseStatus,
  nominationOf,
} from '../../lib/cases';
import { formatDate, formatTime } from '../../lib/time';
import { Page, useCursorList } from '../../lib/use-cursor';

/** GET /v1/cases/{id} as tracking answers it (toCaseView): the entries and reports copied at nomination. */
export interface CaseView {
  id: string;
  title: string;
  summary: string;
  kind: 'punishment' | 'incentive';
  status: CaseStatus;
  region: string;
  nominatingDept: string;
  nominatedBy: string;
  nominatedAt: string;
  entries: {
    entryId: string;
    listType: { code: string; colour: string; infoClass: string | null };
    ownerDept: string;
    subject: { kind: string; id: string; name: string };
    decision: { documentNo: string; date: string };
    period: { from: string; to: string | null; openEnded: boolean };
  }[];
  feedback: {
    assignmentId: string;
    entryId: string;
    dept: string;
    measure: { code: string; text: string | null };
    enforcedAt: string;
    detail: string | null;
    reference: string | null;
  }[];
  screening: { by: string; at: string } | null;
  decision: {
    by: string;
    at: string;
    outcome: 'accepted' | 'rejected';
    note: string | null;
    reason: string | null;
  } | null;
  publishedAt: string | null;
  withdrawal: { at: string; reason: string } | null;
}

export const KIND_LABELS: Record<string, string> = { punishment: '联合惩戒', incentive: '联合激励' };
const STATUS_COLOURS: Record<CaseStatus, string> = {
  submitted: '#0958d9',
  screening: '#ad4e00',
  accepted: '#135200',
  rejected: '#595959',
  published: '#a8071a',
  withdrawn: '#531dab',
};

export function CaseStatusTag({ status }: { status: CaseStatus }) {
  return <Tag color={STATUS_COLOURS[status]}>{CASE_STATUS_LABELS[status] ?? status}</Tag>;
}

type Role = 'initiator' | 'implementer' | 'supervisor';

/**
 * 典型案例: a department nominates cases from its published entries and their enforcement feedback and
 * follows their screening; the credit office (supervisor) screens, accepts or rejects, publishes and
 * withdraws, and exports the accepted ones for the province.
 */
export function CasesPage({ role }: { role: Role }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const screener = role === 'supervisor';
  const [filters, setFilters] = useState<{ status?: string; kind?: string; from?: string; to?: string }>({});
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState<string>();
  const [reasonFor, setReasonFor] = useState<{ id: string; action: CaseAction }>();
  const [nominating, setNominating] = useState(!!params.get('nominate'));
  const list = useCursorList<CaseView>(['cases', filters], (cursor) =>
    unwrap(api.GET('/v1/cases', { params: { query: { ...filters, cursor, limit: 20 } as never } })),
  );
  const act = async (id: string, action: CaseAction, body?: object) => {
    setError(undefined);
    try {
      await request('POST', `/v1/cases/${id}/${CASE_ACTIONS[action].path}`, body ?? {});
      message.success(`${CASE_ACTIONS[action].label}成功`);
      await client.invalidateQueries({ queryKey: ['cases'] });
      await client.invalidateQueries({ queryKey: ['case', id] });
    } catch (err) {
      setError(err);
    }
  };
  const exportAs = async (format: 'csv' | 'xlsx') => {
    setError(undefined);
    try {
      await download(
        caseReportUrl(format, { from: filters.from, to: filters.to, kind: filters.kind }),
        `典型案例-${filters.from ?? '全部'}-${filters.to ?? ''}.${format}`,
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card
      title={screener ? '典型案例筛选审定' : '本部门推荐的典型案例'}
      extra={
        screener ? (
          <Space wrap>
            <Button onClick={() => exportAs('csv')}>导出已审定案例 CSV</Button>
            <Button onClick={() => exportAs('xlsx')}>导出已审定案例 XLSX</Button>
          </Space>
        ) : (
          <Button type="primary" onClick={() => setNominating(true)}>
            推荐典型案例
          </Button>
        )
      }
    >
      <ProblemAlert error={error ?? list.error} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label="案例状态"
          allowClear
          placeholder="状态"
          style={{ width: 140 }}
          onChange={(status) => setFilters((f) => ({ ...f, status }))}
          options={(Object.keys(CASE_STATUS_LABELS) as CaseStatus[]).map((s) => ({
            value: s,
            label: CASE_STATUS_LABELS[s],
          }))}
        />
        <Select
          aria-label="案例类型"
          allowClear
          placeholder="类型"
          style={{ width: 140 }}
          onChange={(kind) => setFilters((f) => ({ ...f, kind }))}
          options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <DatePicker.RangePicker
          aria-label={screener ? '推荐日期（导出按审定日期）' : '推荐日期'}
          onChange={(range) =>
            setFilters((f) => ({
              ...f,
              from: range?.[0]?.format('YYYY-MM-DD'),
              to: range?.[1]?.format('YYYY-MM-DD'),
            }))
          }
        />
      </Space>
      <div data-testid="cases">
        <Table<CaseView>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 1000 }}
          locale={{ emptyText: emptyText('暂无典型案例') }}
          columns={[
            {
              title: '案例标题',
              render: (_, c) => (
                <Button type="link" style={{ padding: 0, height: 'auto' }} onClick={() => setOpen(c.id)}>
                  {c.title}
                </Button>
              ),
            },
            { title: '类型', render: (_, c) => KIND_LABELS[c.kind] ?? c.kind },
            { title: '推荐部门', dataIndex: 'nominatingDept' },
            {
              title: '主体',
              render: (_, c) => c.entries.map((e) => e.subject.name).join('、'),
            },
            { title: '状态', render: (_, c) => <CaseStatusTag status={c.status} /> },
            { title: '推荐时间', render: (_, c) => formatTime(c.nominatedAt) },
            ...(screener
              ? [
                  {
                    title: '操作',
                    fixed: 'right' as const,
                    render: (_: unknown, c: CaseView) => (
                      <CaseActions
                        caseView={c}
                        onAct={(action) =>
                          CASE_ACTIONS[action].reason ? setReasonFor({ id: c.id, action }) : act(c.id, action)
                        }
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </div>
      <LoadMore list={list} />
      <CaseDrawer id={open} onClose={() => setOpen(undefined)} />
      <ReasonModal
        target={reasonFor}
        onClose={() => setReasonFor(undefined)}
        onSubmit={async (reason) => {
          if (reasonFor) await act(reasonFor.id, reasonFor.action, { reason });
          setReasonFor(undefined);
        }}
      />
      {!screener && (
        <NominateModal
          role={role}
          open={nominating}
          entryId={params.get('nominate') ?? undefined}
          onClose={() => {
            setNominating(false);
            if (params.get('nominate')) setParams({}, { replace: true });
          }}
        />
      )}
    </Card>
  );
}

function CaseActions({
  caseView,
  onAct,
}: {
  caseView: CaseView;
  onAct: (a: CaseAction) => Promise<unknown> | void;
}) {
  const actions = actionsOf(caseView.status);
  if (actions.length === 0) return <span>—</span>;
  return (
    <Space size="small">
      {actions.map((a) =>
        CASE_ACTIONS[a].confirm ? (
          <Confirmed key={a} danger={false} title={CASE_ACTIONS[a].confirm} onConfirm={() => onAct(a)}>
            {CASE_ACTIONS[a].label}
          </Confirmed>
        ) : (
          <Button key={a} size="small" danger={a === 'reject' || a === 'withdraw'} onClick={() => onAct(a)}>
            {CASE_ACTIONS[a].label}
          </Button>
        ),
      )}
    </Space>
  );
}

/** Rejecting and withdrawing need their reason (shown to the nominating department); asked, then confirmed. */
function ReasonModal({
  target,
  onClose,
  onSubmit,
}: {
  target?: { id: string; action: CaseAction };
  onClose: () => void;
  onSubmit: (reason: string) => Promise<void>;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  useEffect(() => form.resetFields(), [target, form]);
  const label = target ? CASE_ACTIONS[target.action].label : '';
  return (
    <Modal
      open={!!target}
      title={`${label}：说明理由`}
      okText={`确认${label}`}
      cancelText="取消"
      okButtonProps={{ danger: true }}
      onCancel={onClose}
      onOk={() => form.validateFields().then((v) => onSubmit(v.reason))}
      destroyOnClose
    >
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label="理由" rules={[{ required: true, message: '请填写理由' }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CaseDrawer({ id, onClose }: { id?: string; onClose: () => void }) {
  const one = useQuery({
    queryKey: ['case', id],
    enabled: !!id,
    queryFn: () => unwrap<CaseView>(api.GET('/v1/cases/{id}', { params: { path: { id: id! } } })),
  });
  const c = one.data;
  return (
    <Drawer open={!!id} onClose={onClose} title={c?.title ?? '典型案例'} width={640}>
      <ProblemAlert error={one.error} />
      {c && (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="case-detail">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="状态">
              <CaseStatusTag status={c.status} />
            </Descriptions.Item>
            <Descriptions.Item label="类型">{KIND_LABELS[c.kind]}</Descriptions.Item>
            <Descriptions.Item label="推荐">
              {c.nominatingDept}（{c.nominatedBy}）{formatTime(c.nominatedAt)}
            </Descriptions.Item>
            {c.decision && (
              <Descriptions.Item label={c.decision.outcome === 'accepted' ? '审定采用' : '不予采用'}>
                {formatTime(c.decision.at)} {c.decision.note ?? c.decision.reason ?? ''}
              </Descriptions.Item>
            )}
            {c.publishedAt && (
              <Descriptions.Item label="公示时间">{formatTime(c.publishedAt)}</Descriptions.Item>
            )}
            {c.withdrawal && (
              <Descriptions.Item label="撤回公示">
                {formatTime(c.withdrawal.at)} {c.withdrawal.reason}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{c.summary}</Typography.Paragraph>
          <Table
            size="small"
            rowKey="entryId"
            pagination={false}
            dataSource={c.entries}
            scroll={{ x: 560 }}
            columns={[
              { title: '主体', render: (_, e) => e.subject.name },
              { title: '名单类型', render: (_, e) => e.listType.code },
              { title: '决定文书', render: (_, e) => e.decision.documentNo },
              {
                title: '期限',
                render: (_, e) =>
                  `${formatDate(e.period.from)} 至 ${e.period.openEnded ? '履行义务之日' : formatDate(e.period.to)}`,
              },
            ]}
          />
          <Table
            size="small"
            rowKey="assignmentId"
            pagination={false}
            dataSource={c.feedback}
            scroll={{ x: 560 }}
            columns={[
              { title: '实施部门', dataIndex: 'dept' },
              { title: '措施', render: (_, f) => f.measure.text ?? f.measure.code },
              { title: '实施时间', render: (_, f) => formatTime(f.enforcedAt) },
              { title: '实施情况', render: (_, f) => f.detail ?? '—' },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

interface EntryOption {
  id: string;
  listType: string;
  subject: { name: string; id: string };
  decision: { documentNo: string };
}
interface InboxRow extends CaseAssignment {
  measure: { code: string; text: string };
  subject: { name: string };
  listType: string;
}
interface TriggerAssignment extends CaseAssignment {
  dept: string;
  measureCode: string;
}

/**
 * The nomination: an initiator names its published entries and picks, among their assignments, the
 * enforcement reports the case rests on; an implementer picks among its own enforced assignments (the
 * entries follow). The form refuses what the service would (nominationOf), naming the field.
 */
function NominateModal({
  role,
  open,
  entryId,
  onClose,
}: {
  role: Role;
  open: boolean;
  entryId?: string;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ title: string; summary: string; kind: string }>();
  const [entryIds, setEntryIds] = useState<string[]>(entryId ? [entryId] : []);
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [problems, setProblems] = useState<{ field: string; message: string }[]>([]);
  useEffect(() => {
    if (entryId) setEntryIds([entryId]);
  }, [entryId]);
  const entries = useQuery({
    queryKey: ['case-entries'],
    enabled: open && role === 'initiator',
    queryFn: () =>
      unwrap<Page<EntryOption>>(
        api.GET('/v1/list-entries', { params: { query: { status: 'published', limit: 100 } as never } }),
      ),
  });
  const assignments = useQuery({
    queryKey: ['case-assignments', role, entryIds],
    enabled: open && (role === 'implementer' || entryIds.length > 0),
    queryFn: async (): Promise<(CaseAssignment & { dept: string; measure: string; subject?: string })[]> => {
      if (role === 'implementer') {
        const page = await unwrap<Page<InboxRow>>(
          api.GET('/v1/inbox', { params: { query: { status: 'enforced', limit: 100 } as never } }),
        );
        return page.items.map((a) => ({
          id: a.id,
          entryId: a.entryId,
          status: a.status,
          dept: '本部门',
          measure: a.measure.text ?? a.measure.code,
          subject: a.subject.name,
        }));
      }
      const pages = await Promise.all(
        entryIds.map((id) =>
          unwrap<Page<TriggerAssignment>>(
            api.GET('/v1/assignments', { params: { query: { entryId: id, limit: 100 } as never } }),
          ),
        ),
      );
      return pages
        .flatMap((p) => p.items)
        .map((a) => ({
          id: a.id,
          entryId: a.entryId,
          status: a.status,
          dept: a.dept,
          measure: a.measureCode,
        }));
    },
  });
  const rows = useMemo(() => assignments.data ?? [], [assignments.data]);
  const submit = async () => {
    setError(undefined);
    const values = await form.validateFields();
    const picked = chosen.map((id) => rows.find((r) => r.id === id)!).filter(Boolean);
    const nomination = nominationOf(role === 'initiator' ? entryIds : [], picked);
    setProblems(nomination.problems);
    if (nomination.problems.length) return;
    try {
      await unwrap(
        api.POST('/v1/cases', {
          body: {
            title: values.title,
            summary: values.summary,
            kind: values.kind,
            entryIds: nomination.entryIds,
            assignmentIds: nomination.assignmentIds,
          } as never,
        }),
      );
      message.success('典型案例已推荐，等待信用办筛选');
      await client.invalidateQueries({ queryKey: ['cases'] });
      form.resetFields();
      setChosen([]);
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal
      open={open}
      title="推荐典型案例"
      width={800}
      okText="提交推荐"
      cancelText="取消"
      onOk={submit}
      onCancel={onClose}
    >
      <ProblemAlert error={error ?? entries.error ?? assignments.error} />
      <Form form={form} layout="vertical" initialValues={{ kind: 'punishment' }}>
        <Form.Item name="title" label="案例标题" rules={[{ required: true, message: '请填写案例标题' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="kind" label="案例类型" rules={[{ required: true, message: '请选择案例类型' }]}>
          <RequiredSelect options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item
          name="summary"
          label="案例摘要（经过、实施的措施与成效）"
          rules={[{ required: true, message: '请填写案例摘要' }]}
        >
          <Input.TextArea rows={4} maxLength={10000} />
        </Form.Item>
      </Form>
      {role === 'initiator' && (
        <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
          <label htmlFor="case-entries">已公示的名单条目</label>
          <Select
            id="case-entries"
            mode="multiple"
            style={{ width: '100%' }}
            value={entryIds}
            onChange={setEntryIds}
            loading={entries.isLoading}
            optionFilterProp="label"
            options={entries.data?.items.map((e) => ({
              value: e.id,
              label: `${e.subject.name}（${e.listType}，${e.decision.documentNo}）`,
            }))}
          />
        </Space>
      )}
      <Typography.Text strong>案例依据的实施反馈（已实施的措施）</Typography.Text>
      <Table
        size="small"
        rowKey="id"
        style={{ marginTop: 8 }}
        loading={assignments.isFetching}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 600, y: 240 }}
        locale={{ emptyText: emptyText(role === 'initiator' ? '请先选择名单条目' : '暂无已实施的任务') }}
        rowSelection={{
          selectedRowKeys: chosen,
          onChange: (keys) => setChosen(keys as string[]),
          // each row's checkbox named for a screen reader (Ant Design passes the attribute to the input)
          getCheckboxProps: (r) =>
            ({ 'aria-label': `选择 ${r.subject ?? r.dept} ${r.measure}` }) as unknown as CheckboxProps,
        }}
        columns={[
          ...(role === 'implementer' ? [{ title: '主体', dataIndex: 'subject' }] : []),
          { title: '实施部门', dataIndex: 'dept' },
          { title: '措施', dataIndex: 'measure' },
          { title: '状态', dataIndex: 'status', render: (s: string) => (s === 'enforced' ? '已实施' : s) },
        ]}
      />
      {problems.map((p) => (
        <Typography.Paragraph key={p.field} type="danger" style={{ marginTop: 8 }}>
          {p.field}：{p.message}
        </Typography.Paragraph>
      ))}
    </Modal>
  );
}
