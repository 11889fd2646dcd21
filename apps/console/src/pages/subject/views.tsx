import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { createContext, useContext, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, download, unwrap } from '../../api/client';
import { emptyText, FieldSelect } from '../../components/fields';
import { DeadlineTag, ProblemAlert, StatusTag } from '../../components/common';
import { LoadMore } from '../../components/load-more';
import { useMutationForm } from '../../lib/use-mutation-form';
import {
  allNextSteps,
  ANSWER_LABELS,
  END_REASON_LABELS,
  RecordEntry,
  RELATION_LABELS,
  StepKind,
  SubjectRecord,
  tooEarlyDay,
} from '../../lib/record';
import { RepairFormValues, repairBody, validateRepairForm } from '../../lib/repair-form';
import { formatDate, formatTime } from '../../lib/time';
import { useCursorList } from '../../lib/use-cursor';

/**
 * Whose record the pages show: the signed-in subject itself (its own routes, /v1/me/…), or a subject the
 * credit office's counter acts for (its identifier; filings carry `onBehalfOf`).
 */
export interface Party {
  mode: 'self' | 'counter';
  identifier: string;
  /** where the pages live: /subject or /counter */
  base: string;
}

export const PartyContext = createContext<Party>({ mode: 'self', identifier: '', base: '/subject' });
const useParty = () => useContext(PartyContext);

/** A page of the party's section, keeping whom the counter acts for. */
export function pathFor(party: Party, page: string, entryId?: string): string {
  const query = new URLSearchParams();
  if (party.mode === 'counter') query.set('subject', party.identifier);
  if (entryId) query.set('entry', entryId);
  const search = query.toString();
  return `${party.base}/${page}${search ? `?${search}` : ''}`;
}

const onBehalf = (party: Party) => (party.mode === 'counter' ? { onBehalfOf: party.identifier } : {});

export function useRecord() {
  const party = useParty();
  return useQuery({
    queryKey: ['record', party.mode, party.identifier],
    enabled: party.mode === 'self' || party.identifier !== '',
    queryFn: () =>
      party.mode === 'self'
        ? unwrap<SubjectRecord>(api.GET('/v1/me/record'))
        : unwrap<SubjectRecord>(
            api.GET('/v1/subjects/{identifier}/record', {
              params: { path: { identifier: party.identifier } },
            }),
          ),
  });
}

function entryLabel(e: RecordEntry): string {
  return `${e.listType.name ?? e.listType.code} · ${e.decision.documentNo}`;
}

function ListTypeTag({ entry }: { entry: RecordEntry }) {
  const colour =
    entry.listType.colour === 'red' ? '#a8071a' : entry.listType.colour === 'black' ? '#262626' : undefined;
  return (
    <Space size={4} wrap>
      <Tag color={colour}>{entry.listType.colour === 'red' ? '红名单' : '黑名单'}</Tag>
      <span>{entry.listType.name ?? entry.listType.code}</span>
    </Space>
  );
}

const STEP_ROUTES: Record<StepKind, string> = {
  statement: 'statements',
  objection: 'objections',
  repair: 'repairs',
};

/** 信用记录: the entries, what may be done next on each and until when, and the measures in force. */
export function RecordPage() {
  const party = useParty();
  const navigate = useNavigate();
  const record = useRecord();
  const steps = useMemo(() => (record.data ? allNextSteps(record.data) : []), [record.data]);
  const entries = record.data?.entries ?? [];
  const byId = new Map(entries.map((e) => [e.id, e]));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <ProblemAlert error={record.error} />
      <Card title="可办理事项" loading={record.isLoading}>
        {steps.length === 0 ? (
          <Empty description="当前没有可办理的事项" />
        ) : (
          <div data-testid="next-steps">
            <List
              dataSource={steps}
              renderItem={(s) => (
                <List.Item
                  actions={[
                    <Button
                      key="go"
                      type={s.allowed ? 'primary' : 'default'}
                      disabled={!s.allowed && s.kind !== 'repair'}
                      onClick={() => navigate(pathFor(party, STEP_ROUTES[s.kind], s.entryId))}
                    >
                      {s.allowed ? `去${s.label}` : '查看'}
                    </Button>,
                  ]}
                >
                  <List.Item.Meta
                    title={
                      <Space wrap>
                        <span>{s.label}</span>
                        <Tag color={s.allowed ? '#135200' : '#595959'}>
                          {s.allowed ? '现在可以办理' : '暂不可办理'}
                        </Tag>
                      </Space>
                    }
                    description={`${byId.get(s.entryId) ? entryLabel(byId.get(s.entryId)!) : s.entryId}：${s.detail}`}
                  />
                </List.Item>
              )}
            />
          </div>
        )}
      </Card>
      <Card title="名单记录" loading={record.isLoading}>
        <Table<RecordEntry>
          rowKey="id"
          size="small"
          dataSource={entries}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: emptyText('没有名单记录') }}
          columns={[
            { title: '名单类型', render: (_, e) => <ListTypeTag entry={e} /> },
            { title: '认定部门', dataIndex: 'ownerDept' },
            {
              title: '决定文书',
              render: (_, e) => (
                <span>
                  {e.decision.documentNo}
                  <br />
                  {e.decision.date}
                </span>
              ),
            },
            { title: '身份', render: (_, e) => RELATION_LABELS[e.relation] ?? e.relation },
            {
              title: '状态',
              render: (_, e) => (
                <Space size={4} wrap>
                  <StatusTag status={e.status} />
                  {e.endReason && <span>{END_REASON_LABELS[e.endReason] ?? e.endReason}</span>}
                  {e.objectionOpen && <Tag color="#ad4e00">异议处理中</Tag>}
                </Space>
              ),
            },
            {
              title: '公示期',
              render: (_, e) =>
                e.period ? `${formatDate(e.period.from)} 至 ${formatDate(e.period.to)}` : '—',
            },
            {
              title: '陈述申辩期限',
              render: (_, e) => <DeadlineTag deadline={e.statementDeadline} done={e.status !== 'noticed'} />,
            },
            { title: '最早可申请修复', render: (_, e) => formatDate(e.earliestRepairDate) },
          ]}
        />
      </Card>
      <Card title="正在实施的惩戒或激励措施" loading={record.isLoading}>
        <div data-testid="measures">
          <Table
            rowKey="assignmentId"
            size="small"
            dataSource={record.data?.measures ?? []}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: emptyText('没有正在实施的措施') }}
            columns={[
              { title: '措施', dataIndex: 'text' },
              { title: '实施部门', dataIndex: 'dept' },
              {
                title: '对象',
                dataIndex: 'as',
                render: (as: string) => (as === 'subject' ? '本主体' : (RELATION_LABELS[as] ?? as)),
              },
              { title: '法律依据', dataIndex: 'legalBasis' },
              { title: '实施至', dataIndex: 'until', render: (v: string) => formatDate(v) },
              {
                title: '状态',
                dataIndex: 'suspended',
                render: (v: boolean) =>
                  v ? <Tag color="#ad4e00">异议期间暂停</Tag> : <Tag color="#a8071a">实施中</Tag>,
              },
            ]}
          />
        </div>
      </Card>
    </Space>
  );
}

/** The entry a "next step" link named (`?entry=`), to preselect it. */
function useEntryParam(): string | undefined {
  const [params] = useSearchParams();
  return params.get('entry') ?? undefined;
}

/** 陈述申辩: the statements filed, with their receipts and answers; a new one on a noticed entry. */
export function StatementsPage() {
  const party = useParty();
  const record = useRecord();
  const [form] = Form.useForm<{ entryId: string; content: string }>();
  const [receipt, setReceipt] = useState<{ receiptNo: string; receivedAt: string }>();
  const file = useMutationForm<
    { entryId: string; content: string },
    { receiptNo: string; receivedAt: string }
  >({
    submit: (v) =>
      unwrap<{ receiptNo: string; receivedAt: string }>(
        api.POST('/v1/list-entries/{id}/statements', {
          params: { path: { id: v.entryId } },
          body: { content: v.content.trim(), ...onBehalf(party) },
        }),
      ),
    invalidate: [['record']],
    onSuccess: (made) => {
      setReceipt(made);
      form.resetFields(['content']);
    },
  });
  const entries = record.data?.entries ?? [];
  const open = entries.filter((e) => e.next.statement.allowed);
  const filed = entries.flatMap((e) => e.statements.map((s) => ({ ...s, entry: e })));
  const initial = useEntryParam();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="提出陈述申辩">
        <ProblemAlert error={file.error ?? record.error} />
        {receipt && (
          <Alert
            type="success"
            showIcon
            data-testid="statement-receipt"
            style={{ marginBottom: 12 }}
            message={`已受理，回执编号 ${receipt.receiptNo}`}
            description={`受理时间 ${formatTime(receipt.receivedAt)}。认定部门答复后将在本页显示。`}
          />
        )}
        {open.length === 0 ? (
          <Typography.Paragraph>
            当前没有处于陈述申辩期的名单条目（仅在告知后、陈述申辩期限届满前可提出）。
          </Typography.Paragraph>
        ) : (
          <Form
            form={form}
            layout="vertical"
            initialValues={{ entryId: open.some((e) => e.id === initial) ? initial : open[0]?.id }}
            onFinish={file.run}
          >
            <Form.Item
              name="entryId"
              label="名单条目"
              rules={[{ required: true, message: '请选择名单条目' }]}
            >
              <FieldSelect
                options={open.map((e) => ({
                  value: e.id,
                  label: `${entryLabel(e)}（期限 ${formatTime(e.next.statement.until)}）`,
                }))}
              />
            </Form.Item>
            <Form.Item
              name="content"
              label="陈述申辩内容"
              rules={[
                { required: true, whitespace: true, message: '请填写陈述申辩的事实和理由' },
                { max: 10_000, message: '不超过 10000 字' },
              ]}
            >
              <Input.TextArea rows={4} placeholder="陈述事实、理由，并列明证据" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={file.busy}>
              提交陈述申辩
            </Button>
          </Form>
        )}
      </Card>
      <Card title="已提出的陈述申辩" loading={record.isLoading}>
        <Table
          rowKey="id"
          size="small"
          dataSource={filed}
          pagination={false}
          scroll={{ x: 800 }}
          locale={{ emptyText: emptyText('尚未提出陈述申辩') }}
          columns={[
            { title: '回执编号', dataIndex: 'receiptNo', render: (v: string) => <code>{v}</code> },
            { title: '名单条目', render: (_, s) => entryLabel(s.entry) },
            { title: '受理时间', dataIndex: 'receivedAt', render: (v: string) => formatTime(v) },
            {
              title: '答复',
              render: (_, s) => (
                <Space direction="vertical" size={0}>
                  <Tag
                    color={
                      s.status === 'received' ? '#0958d9' : s.status === 'accepted' ? '#135200' : '#a8071a'
                    }
                  >
                    {ANSWER_LABELS[s.status] ?? s.status}
                  </Tag>
                  {s.reply && <span data-testid="statement-reply">{s.reply}</span>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

interface ObjectionView {
  id: string;
  entryId: string;
  receiptNo: string;
  reason?: string;
  status: string;
  openedAt: string;
  deadline?: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
}

/** 异议: file one on a published entry; see each one's outcome. */
export function ObjectionsPage() {
  const party = useParty();
  const record = useRecord();
  const [form] = Form.useForm<{ entryId: string; reason: string }>();
  const [filed, setFiled] = useState<ObjectionView>();
  const file = useMutationForm<{ entryId: string; reason: string }, ObjectionView>({
    submit: (v) =>
      unwrap<ObjectionView>(
        api.POST('/v1/list-entries/{id}/objections', {
          params: { path: { id: v.entryId } },
          body: { reason: v.reason.trim(), ...onBehalf(party) },
        }),
      ),
    invalidate: [['record'], ['my-objections']],
    onSuccess: (made) => {
      setFiled(made);
      form.resetFields(['reason']);
    },
  });
  const mine = useCursorList<ObjectionView>(
    ['my-objections'],
    (cursor) => unwrap(api.GET('/v1/me/objections', { params: { query: { cursor, limit: 20 } as never } })),
    party.mode === 'self',
  );
  const entries = record.data?.entries ?? [];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const open = entries.filter((e) => e.next.objection.allowed);
  const rows: ObjectionView[] =
    party.mode === 'self'
      ? mine.items
      : entries.flatMap((e) => e.objections.map((o) => ({ ...o, entryId: e.id })));
  const initial = useEntryParam();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="提出异议">
        <ProblemAlert error={file.error ?? record.error} />
        {filed && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            message={`异议已受理，回执编号 ${filed.receiptNo}`}
            description={filed.deadline ? `认定部门应于 ${formatTime(filed.deadline)} 前处理。` : undefined}
          />
        )}
        {open.length === 0 ? (
          <Typography.Paragraph>
            当前没有可提出异议的名单条目（已公示且没有正在处理的异议）。
          </Typography.Paragraph>
        ) : (
          <Form
            form={form}
            layout="vertical"
            initialValues={{ entryId: open.some((e) => e.id === initial) ? initial : open[0]?.id }}
            onFinish={file.run}
          >
            <Form.Item
              name="entryId"
              label="名单条目"
              rules={[{ required: true, message: '请选择名单条目' }]}
            >
              <FieldSelect options={open.map((e) => ({ value: e.id, label: entryLabel(e) }))} />
            </Form.Item>
            <Form.Item
              name="reason"
              label="异议理由"
              rules={[{ required: true, whitespace: true, message: '请填写异议理由' }]}
            >
              <Input.TextArea rows={3} placeholder="认为哪项信息有误、理由和证据" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={file.busy}>
              提交异议
            </Button>
          </Form>
        )}
      </Card>
      <Card title="异议记录">
        <ProblemAlert error={mine.error} />
        <Table<ObjectionView>
          rowKey="id"
          size="small"
          loading={party.mode === 'self' ? mine.isLoading : record.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 800 }}
          locale={{ emptyText: emptyText('没有异议记录') }}
          columns={[
            { title: '回执编号', dataIndex: 'receiptNo', render: (v: string) => <code>{v}</code> },
            {
              title: '名单条目',
              render: (_, o) =>
                byId.get(o.entryId) ? entryLabel(byId.get(o.entryId)!) : o.entryId.slice(0, 8),
            },
            { title: '提出时间', dataIndex: 'openedAt', render: (v: string) => formatTime(v) },
            {
              title: '处理期限',
              render: (_, o) => <DeadlineTag deadline={o.deadline} done={o.status !== 'open'} />,
            },
            {
              title: '处理结果',
              render: (_, o) => (
                <Space direction="vertical" size={0}>
                  <span>{ANSWER_LABELS[o.status] ?? o.status}</span>
                  {o.resolutionNote && <span>{o.resolutionNote}</span>}
                </Space>
              ),
            },
          ]}
        />
        <MoreButton list={mine} show={party.mode === 'self'} />
      </Card>
    </Space>
  );
}

interface DocumentRef {
  id: string;
  kind: string;
  title: string;
  status: string;
  issuedAt: string | null;
  download: string | null;
}

interface RepairView {
  id: string;
  entryId: string;
  listType: string;
  status: string;
  statement: string;
  submittedAt: string;
  acceptDeadline: string | null;
  acceptPaused: boolean;
  decideDeadline: string | null;
  deadline: string | null;
  overdue: boolean;
  outcome: string | null;
  reason: string | null;
  materialRequests: {
    missing: string[];
    note: string | null;
    requestedAt: string;
    suppliedAt: string | null;
  }[];
  documents: DocumentRef[];
}

const OPEN_REPAIR = ['submitted', 'material_requested', 'accepted'];

function DocumentLinks({ documents }: { documents: DocumentRef[] }) {
  const [error, setError] = useState<unknown>();
  if (documents.length === 0) return <span>—</span>;
  return (
    <Space direction="vertical" size={0}>
      <ProblemAlert error={error} />
      {documents.map((d) =>
        d.download ? (
          <Button
            key={d.id}
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={() => download(d.download!, `${d.title}.docx`).catch(setError)}
          >
            下载《{d.title}》
          </Button>
        ) : (
          <span key={d.id}>《{d.title}》生成中</span>
        ),
      )}
    </Space>
  );
}

/** 信用修复: apply (statement, commitment, each condition with evidence); see status, deadlines, documents. */
export function RepairsPage() {
  const party = useParty();
  const client = useQueryClient();
  const record = useRecord();
  const [form] = Form.useForm<RepairFormValues & { entryId: string }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<RepairView>();
  const [supplying, setSupplying] = useState<RepairView>();
  const mine = useCursorList<RepairView>(
    ['my-applications'],
    (cursor) => unwrap(api.GET('/v1/me/applications', { params: { query: { cursor, limit: 20 } as never } })),
    party.mode === 'self',
  );
  const entries = record.data?.entries ?? [];
  const byId = new Map(entries.map((e) => [e.id, e]));
  // published entries of a repairable list type: offered even before the earliest day (the API says when)
  const repairable = entries.filter((e) => e.status === 'published' && e.repairConditions.length > 0);
  const initial = useEntryParam();
  const entryId = Form.useWatch('entryId', form) as string | undefined;
  const chosen = entryId ? byId.get(entryId) : undefined;
  const checklist = chosen?.repairConditions ?? [];
  const early = tooEarlyDay(error);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="申请信用修复">
        {early && (
          <Alert
            type="warning"
            showIcon
            data-testid="repair-too-early"
            style={{ marginBottom: 12 }}
            message={`未满最短公示期，最早可于 ${early} 申请信用修复`}
          />
        )}
        <ProblemAlert error={error ?? record.error} />
        {made && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            message="修复申请已提交"
            description={
              <span>
                受理期限：
                <DeadlineTag deadline={made.acceptDeadline} done={false} />
              </span>
            }
          />
        )}
        {repairable.length === 0 ? (
          <Typography.Paragraph>当前没有可申请信用修复的名单条目。</Typography.Paragraph>
        ) : (
          <Form
            form={form}
            layout="vertical"
            initialValues={{
              entryId: repairable.some((e) => e.id === initial) ? initial : repairable[0]?.id,
            }}
            onFinish={async (values) => {
              const problems = validateRepairForm(values, checklist, true);
              if (problems.length > 0) {
                form.setFields(
                  problems.map((p) => ({ name: p.field.split('.'), errors: [p.message] })) as never,
                );
                return;
              }
              setBusy(true);
              setError(undefined);
              try {
                const body = repairBody(
                  values,
                  checklist,
                  party.mode === 'counter' ? party.identifier : undefined,
                );
                const application = await unwrap<RepairView>(
                  api.POST('/v1/list-entries/{id}/repair-applications', {
                    params: { path: { id: values.entryId } },
                    body,
                  }),
                );
                setMade(application);
                form.resetFields(['statement', 'commitment', 'conditions']);
                await client.invalidateQueries({ queryKey: ['record'] });
                await client.invalidateQueries({ queryKey: ['my-applications'] });
              } catch (err) {
                setError(err);
              } finally {
                setBusy(false);
              }
            }}
          >
            <Form.Item
              name="entryId"
              label="名单条目"
              rules={[{ required: true, message: '请选择名单条目' }]}
            >
              <FieldSelect
                options={repairable.map((e) => ({
                  value: e.id,
                  label: `${entryLabel(e)}${e.next.repair.allowed ? '' : `（最早 ${formatDate(e.next.repair.from)}）`}`,
                }))}
              />
            </Form.Item>
            <Form.Item name="statement" label="申请说明" required>
              <Input.TextArea rows={3} placeholder="说明失信行为已纠正、义务已履行的情况" />
            </Form.Item>
            <Form.Item name="commitment" label="信用承诺书" required>
              <Input.TextArea
                rows={3}
                placeholder="承诺已纠正失信行为，今后依法诚信经营；如有违反，自愿接受惩戒。"
              />
            </Form.Item>
            <Typography.Title level={5}>修复条件</Typography.Title>
            {checklist.map((c) => (
              <Card key={c.code} size="small" style={{ marginBottom: 8 }}>
                <Form.Item
                  name={['conditions', c.code, 'met']}
                  valuePropName="checked"
                  style={{ marginBottom: 8 }}
                >
                  <Checkbox>{c.text}</Checkbox>
                </Form.Item>
                <Form.Item
                  name={['conditions', c.code, 'evidence']}
                  label={`证明材料：${c.text}`}
                  style={{ marginBottom: 0 }}
                >
                  <Input placeholder="文书编号、凭证名称等" />
                </Form.Item>
              </Card>
            ))}
            <Button type="primary" htmlType="submit" loading={busy}>
              提交修复申请
            </Button>
          </Form>
        )}
      </Card>
      {party.mode === 'self' && (
        <Card title="我的修复申请">
          <ProblemAlert error={mine.error} />
          <Table<RepairView>
            rowKey="id"
            size="small"
            loading={mine.isLoading}
            dataSource={mine.items}
            pagination={false}
            scroll={{ x: 1000 }}
            locale={{ emptyText: emptyText('没有修复申请') }}
            columns={[
              {
                title: '名单条目',
                render: (_, r) => (byId.get(r.entryId) ? entryLabel(byId.get(r.entryId)!) : r.listType),
              },
              { title: '提交时间', dataIndex: 'submittedAt', render: (v: string) => formatTime(v) },
              {
                title: '状态',
                render: (_, r) => (
                  <Space direction="vertical" size={0}>
                    <span>{ANSWER_LABELS[r.status] ?? r.status}</span>
                    {r.reason && <span>理由：{r.reason}</span>}
                  </Space>
                ),
              },
              {
                title: '办理期限（工作日）',
                render: (_, r) =>
                  r.acceptPaused ? (
                    <span>补正期间暂停计时</span>
                  ) : (
                    <DeadlineTag deadline={r.deadline} done={!OPEN_REPAIR.includes(r.status)} />
                  ),
              },
              {
                title: '补正要求',
                render: (_, r) => {
                  const pending = r.materialRequests.filter((m) => !m.suppliedAt);
                  if (pending.length === 0) return '—';
                  return (
                    <Space direction="vertical" size={4}>
                      {pending.map((m) => (
                        <span key={m.requestedAt}>{m.missing.join('、')}</span>
                      ))}
                      <Button size="small" onClick={() => setSupplying(r)}>
                        补正材料
                      </Button>
                    </Space>
                  );
                },
              },
              { title: '文书', render: (_, r) => <DocumentLinks documents={r.documents} /> },
            ]}
          />
          <MoreButton list={mine} show />
        </Card>
      )}
      <SupplyMaterial application={supplying} onClose={() => setSupplying(undefined)} />
    </Space>
  );
}

function SupplyMaterial({ application, onClose }: { application?: RepairView; onClose: () => void }) {
  const party = useParty();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={!!application}
      title="补正材料"
      okText="提交"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ disabled: !text.trim() }}
      onCancel={onClose}
      onOk={async () => {
        setBusy(true);
        setError(undefined);
        try {
          await unwrap(
            api.POST('/v1/repair-applications/{id}/supply-material', {
              params: { path: { id: application!.id } },
              body: { material: text.trim(), ...onBehalf(party) },
            }),
          );
          message.success('补正材料已提交');
          setText('');
          onClose();
          await client.invalidateQueries({ queryKey: ['my-applications'] });
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <ProblemAlert error={error} />
      <label htmlFor="supply-material">补正材料说明</label>
      <Input.TextArea id="supply-material" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
    </Modal>
  );
}

/** 文书: the documents served on the subject (两书同达 and repair decisions), per entry, to download. */
export function DocumentsPage() {
  const record = useRecord();
  const entries = record.data?.entries ?? [];
  const lists = useQueries({
    queries: entries.map((e) => ({
      queryKey: ['documents', e.id],
      queryFn: () =>
        unwrap<{ items: DocumentRef[] }>(
          api.GET('/v1/list-entries/{id}/documents', { params: { path: { id: e.id } } }),
        ),
    })),
  });
  const rows = entries.flatMap((e, i) => (lists[i]?.data?.items ?? []).map((d) => ({ ...d, entry: e })));
  const failed = lists.find((l) => l.error)?.error;
  return (
    <Card title="送达文书">
      <ProblemAlert error={record.error ?? failed} />
      <Table
        rowKey="id"
        size="small"
        loading={record.isLoading || lists.some((l) => l.isLoading)}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: emptyText('没有送达的文书') }}
        columns={[
          { title: '文书', dataIndex: 'title' },
          { title: '名单条目', render: (_, d) => entryLabel(d.entry) },
          { title: '送达时间', dataIndex: 'issuedAt', render: (v: string | null) => formatTime(v) },
          { title: '下载', render: (_, d) => <DocumentLinks documents={[d]} /> },
        ]}
      />
    </Card>
  );
}

interface AccessRow {
  at: string;
  dept: string;
  what: string;
}

/** 查询记录: which department read or checked the subject's data, how and when. */
export function AccessLogPage() {
  const list = useCursorList<AccessRow>(['my-access-log'], (cursor) =>
    unwrap(api.GET('/v1/me/access-log', { params: { query: { cursor, limit: 20 } as never } })),
  );
  return (
    <Card title="谁查询了我的信用信息">
      <Typography.Paragraph type="secondary">
        记录各部门查阅、核查本主体信息的时间和方式（只追加，不可修改）。
      </Typography.Paragraph>
      <ProblemAlert error={list.error} />
      <Table<AccessRow>
        rowKey={(r) => `${r.at}-${r.dept}-${r.what}`}
        size="small"
        loading={list.isLoading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 600 }}
        locale={{ emptyText: emptyText('暂无查询记录') }}
        columns={[
          { title: '时间', dataIndex: 'at', render: (v: string) => formatTime(v) },
          { title: '部门', dataIndex: 'dept' },
          { title: '查询方式', dataIndex: 'what', render: (v: string) => <code>{v}</code> },
        ]}
      />
      <MoreButton list={list} show />
    </Card>
  );
}

/** "Load more" under a list that pages with the API's cursor, and how many are loaded. */
export function MoreButton({
  list,
  show,
}: {
  list: { items: unknown[]; hasNextPage: boolean; fetchNextPage: () => unknown; isFetchingNextPage: boolean };
  show: boolean;
}) {
  if (!show) return null;
  return <LoadMore list={list} />;
}

/** The subject's identity as a heading: its name (from the record) and identifier. */
export function PartyHeading() {
  const party = useParty();
  const record = useRecord();
  const own = record.data?.entries.find((e) => e.relation === 'subject')?.subject;
  const related = record.data?.entries.find((e) => e.relation !== 'subject');
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 12 }}>
      <Descriptions.Item label={party.mode === 'counter' ? '代办主体' : '信用主体'}>
        {own?.name ??
          (related ? `${RELATION_LABELS[related.relation] ?? ''}（${related.subject.name}）` : '—')}
      </Descriptions.Item>
      <Descriptions.Item label="统一社会信用代码 / 身份证号">
        <code>{record.data?.identifier ?? party.identifier}</code>
      </Descriptions.Item>
    </Descriptions>
  );
}
