import { Button, Card, Form, Input, Radio, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { emptyText, FieldSelect } from '../../components/fields';
import { Confirmed, DeadlineTag, ProblemAlert } from '../../components/common';
import { FormModal, StatusFilter } from '../../components/form-modal';
import { LoadMore } from '../../components/load-more';
import { ANSWER_LABELS } from '../../lib/record';
import { formatTime } from '../../lib/time';
import { useMutationForm } from '../../lib/use-mutation-form';
import { useCursorList } from '../../lib/use-cursor';

interface StatementRow {
  id: string;
  receiptNo: string;
  entryId: string;
  content: string;
  filedBy: { role: string; dept: string | null; onBehalfOf: string };
  receivedAt: string;
  status: string;
  reply: string | null;
  remedy: string | null;
  answeredAt: string | null;
  entry: {
    listType: string;
    status: string;
    subjectId: string;
    subjectName: string;
    documentNo: string;
    statementDeadline: string | null;
  };
}

interface ObjectionRow {
  id: string;
  entryId: string;
  receiptNo: string;
  reason: string;
  status: string;
  openedAt: string;
  deadline: string;
  resolutionNote: string | null;
}

interface RepairRow {
  id: string;
  entryId: string;
  listType: string;
  subjectId: string;
  status: string;
  statement: string;
  commitment: { text: string } | null;
  conditions: { code: string; text?: string; met: boolean; evidence?: string | null }[];
  submittedAt: string;
  acceptPaused: boolean;
  deadline: string | null;
  reason: string | null;
}

interface StatementAnswer {
  accepted: boolean;
  remedy?: 'revoked' | 'corrected';
  reply: string;
}

interface RepairDecision {
  outcome: 'approved' | 'rejected';
  reason?: string;
}

const FILER_LABELS: Record<string, string> = {
  subject: '主体本人',
  credit_office: '信用办窗口代办',
  initiator: '本部门代为',
};

const OPEN_REPAIR = ['submitted', 'material_requested', 'accepted'];

/** 陈述申辩: answer each one (accepted, then the entry is revoked or corrected; or not accepted, with the reason). */
function StatementsTab() {
  const [status, setStatus] = useState<string | undefined>('received');
  const [answering, setAnswering] = useState<StatementRow>();
  const list = useCursorList<StatementRow>(['statements', status], (cursor) =>
    unwrap(api.GET('/v1/statements', { params: { query: { status, cursor, limit: 20 } as never } })),
  );
  return (
    <>
      <ProblemAlert error={list.error} />
      <StatusFilter
        label="答复状态"
        statuses={['received', 'accepted', 'not_accepted']}
        value={status}
        onChange={setStatus}
      />
      <div data-testid="statements-table">
        <Table<StatementRow>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 1100 }}
          locale={{ emptyText: emptyText('没有陈述申辩') }}
          columns={[
            { title: '回执编号', dataIndex: 'receiptNo', render: (v: string) => <code>{v}</code> },
            {
              title: '主体',
              render: (_, s) => (
                <span>
                  {s.entry.subjectName}
                  <br />
                  <code>{s.entry.subjectId}</code>
                </span>
              ),
            },
            { title: '决定文书号', render: (_, s) => s.entry.documentNo },
            {
              title: '陈述内容',
              render: (_, s) => (
                <Typography.Paragraph
                  ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}
                  style={{ margin: 0 }}
                >
                  {s.content}
                </Typography.Paragraph>
              ),
            },
            {
              title: '提出方式',
              render: (_, s) => FILER_LABELS[s.filedBy.role] ?? s.filedBy.role,
            },
            { title: '受理时间', dataIndex: 'receivedAt', render: (v: string) => formatTime(v) },
            {
              title: '陈述申辩期限',
              render: (_, s) => (
                <DeadlineTag deadline={s.entry.statementDeadline} done={s.status !== 'received'} />
              ),
            },
            {
              title: '答复',
              render: (_, s) =>
                s.status === 'received' ? (
                  <Button type="primary" size="small" onClick={() => setAnswering(s)}>
                    答复
                  </Button>
                ) : (
                  <Space direction="vertical" size={0}>
                    <Tag color={s.status === 'accepted' ? '#135200' : '#a8071a'}>
                      {ANSWER_LABELS[s.status]}
                    </Tag>
                    <span>{s.reply}</span>
                  </Space>
                ),
            },
          ]}
        />
      </div>
      <LoadMore list={list} />
      <AnswerStatement statement={answering} onClose={() => setAnswering(undefined)} />
    </>
  );
}

function AnswerStatement({ statement, onClose }: { statement?: StatementRow; onClose: () => void }) {
  const [form] = Form.useForm<StatementAnswer>();
  const accepted = Form.useWatch('accepted', form);
  const answer = useMutationForm<StatementAnswer>({
    submit: (v) =>
      unwrap(
        api.POST('/v1/statements/{id}/answer', {
          params: { path: { id: statement!.id } },
          body: { accepted: v.accepted, reply: v.reply.trim(), ...(v.accepted ? { remedy: v.remedy } : {}) },
        }),
      ),
    success: '答复已送达',
    invalidate: [['statements']],
    onSuccess: () => {
      form.resetFields();
      onClose();
    },
  });
  return (
    <FormModal<StatementAnswer>
      open={!!statement}
      title={`答复陈述申辩 ${statement?.receiptNo ?? ''}`}
      okText="提交答复"
      onClose={onClose}
      form={form}
      mutation={answer}
      initialValues={{ accepted: false, remedy: 'revoked' }}
      // answering cannot be undone; an accepted statement also ends the entry
      confirm={(v) =>
        v.accepted ? '确认采纳？该名单条目将被撤销或更正，无法恢复。' : '确认不予采纳？答复后不可修改。'
      }
      preface={
        statement && (
          <Typography.Paragraph>
            <Typography.Text strong>{statement.entry.subjectName}</Typography.Text>：{statement.content}
          </Typography.Paragraph>
        )
      }
    >
      <Form.Item name="accepted" label="答复结论">
        <Radio.Group
          options={[
            { value: false, label: '不予采纳' },
            { value: true, label: '采纳' },
          ]}
        />
      </Form.Item>
      {accepted && (
        <Form.Item name="remedy" label="采纳后对名单条目的处理">
          <FieldSelect
            options={[
              { value: 'revoked', label: '撤销（认定有误）' },
              { value: 'corrected', label: '更正（另行认定）' },
            ]}
          />
        </Form.Item>
      )}
      <Form.Item
        name="reply"
        label={accepted ? '答复意见' : '不予采纳的理由'}
        rules={[{ required: true, whitespace: true, message: '请填写答复意见或理由' }]}
      >
        <Input.TextArea rows={4} />
      </Form.Item>
    </FormModal>
  );
}

/** 异议: the open ones with their deadlines; resolve as upheld or withdrawn (a correction goes through the API). */
function ObjectionsTab() {
  const [status, setStatus] = useState<string | undefined>('open');
  const [notes, setNotes] = useState<Record<string, string>>({});
  const list = useCursorList<ObjectionRow>(['objections', status], (cursor) =>
    unwrap(api.GET('/v1/objections', { params: { query: { status, cursor, limit: 20 } as never } })),
  );
  const resolve = useMutationForm<{ o: ObjectionRow; outcome: 'upheld' | 'withdrawn' }>({
    submit: ({ o, outcome }) =>
      unwrap(
        api.POST('/v1/objections/{id}/resolve', {
          params: { path: { id: o.id } },
          body: {
            outcome,
            note: notes[o.id]?.trim() || (outcome === 'upheld' ? '经核查，维持原认定' : '申请人撤回'),
          },
        }),
      ),
    success: '异议已处理',
    invalidate: [['objections']],
  });
  return (
    <>
      <ProblemAlert error={resolve.error ?? list.error} />
      <StatusFilter
        label="异议状态"
        statuses={['open', 'upheld', 'corrected', 'withdrawn']}
        value={status}
        onChange={setStatus}
      />
      <Table<ObjectionRow>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: emptyText('没有异议') }}
        columns={[
          { title: '回执编号', dataIndex: 'receiptNo', render: (v: string) => <code>{v}</code> },
          { title: '条目', dataIndex: 'entryId', render: (v: string) => <code>{v.slice(0, 8)}</code> },
          { title: '异议理由', dataIndex: 'reason' },
          { title: '提出时间', dataIndex: 'openedAt', render: (v: string) => formatTime(v) },
          {
            title: '处理期限（工作日）',
            render: (_, o) => <DeadlineTag deadline={o.deadline} done={o.status !== 'open'} />,
          },
          {
            title: '处理',
            render: (_, o) =>
              o.status === 'open' ? (
                <Space direction="vertical" size={4}>
                  <Input
                    size="small"
                    aria-label="处理意见"
                    placeholder="处理意见"
                    value={notes[o.id] ?? ''}
                    onChange={(e) => setNotes((n) => ({ ...n, [o.id]: e.target.value }))}
                  />
                  <Space size={4} wrap>
                    <Confirmed
                      title="确认维持原认定？"
                      onConfirm={() => resolve.run({ o, outcome: 'upheld' })}
                    >
                      维持
                    </Confirmed>
                    <Confirmed
                      title="确认按撤回处理？"
                      danger={false}
                      onConfirm={() => resolve.run({ o, outcome: 'withdrawn' })}
                    >
                      撤回
                    </Confirmed>
                  </Space>
                </Space>
              ) : (
                <span>
                  {ANSWER_LABELS[o.status] ?? o.status}
                  {o.resolutionNote ? `：${o.resolutionNote}` : ''}
                </span>
              ),
          },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}

/** 信用修复: accept (受理), ask for more material (补正, the clock waits), approve or reject with a reason. */
function RepairsTab() {
  const [status, setStatus] = useState<string | undefined>();
  const [asking, setAsking] = useState<RepairRow>();
  const [deciding, setDeciding] = useState<RepairRow>();
  const list = useCursorList<RepairRow>(['repairs', status], (cursor) =>
    unwrap(api.GET('/v1/repair-applications', { params: { query: { status, cursor, limit: 20 } as never } })),
  );
  const accept = useMutationForm<RepairRow>({
    submit: (r) =>
      unwrap(api.POST('/v1/repair-applications/{id}/accept', { params: { path: { id: r.id } } })),
    success: '已受理',
    invalidate: [['repairs']],
  });
  return (
    <>
      <ProblemAlert error={accept.error ?? list.error} />
      <StatusFilter
        label="申请状态"
        statuses={['submitted', 'material_requested', 'accepted', 'approved', 'rejected']}
        value={status}
        onChange={setStatus}
        width={180}
      />
      <Table<RepairRow>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1200 }}
        locale={{ emptyText: emptyText('没有信用修复申请') }}
        columns={[
          { title: '主体', dataIndex: 'subjectId', render: (v: string) => <code>{v}</code> },
          { title: '名单类型', dataIndex: 'listType' },
          {
            title: '申请说明与承诺',
            render: (_, r) => (
              <Typography.Paragraph
                ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}
                style={{ margin: 0 }}
              >
                {r.statement}
                {r.commitment ? `（承诺：${r.commitment.text}）` : ''}
              </Typography.Paragraph>
            ),
          },
          {
            title: '修复条件与证明材料',
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                {r.conditions.map((c) => (
                  <span key={c.code}>
                    {c.met ? '✓' : '✗'} {c.text ?? c.code}
                    {c.evidence ? `：${c.evidence}` : ''}
                  </span>
                ))}
              </Space>
            ),
          },
          { title: '提交时间', dataIndex: 'submittedAt', render: (v: string) => formatTime(v) },
          { title: '状态', render: (_, r) => ANSWER_LABELS[r.status] ?? r.status },
          {
            title: '期限（工作日）',
            render: (_, r) =>
              r.acceptPaused ? (
                <span>补正期间暂停计时</span>
              ) : (
                <DeadlineTag deadline={r.deadline} done={!OPEN_REPAIR.includes(r.status)} />
              ),
          },
          {
            title: '操作',
            fixed: 'right',
            render: (_, r) => (
              <Space size={4} wrap>
                {r.status === 'submitted' && (
                  <>
                    <Confirmed danger={false} title="确认受理该修复申请？" onConfirm={() => accept.run(r)}>
                      受理
                    </Confirmed>
                    <Button size="small" onClick={() => setAsking(r)}>
                      要求补正
                    </Button>
                  </>
                )}
                {r.status === 'accepted' && (
                  <Button size="small" type="primary" onClick={() => setDeciding(r)}>
                    作出决定
                  </Button>
                )}
                {!OPEN_REPAIR.includes(r.status) && r.reason && <span>{r.reason}</span>}
              </Space>
            ),
          },
        ]}
      />
      <LoadMore list={list} />
      <RequestMaterial application={asking} onClose={() => setAsking(undefined)} />
      <DecideRepair application={deciding} onClose={() => setDeciding(undefined)} />
    </>
  );
}

function RequestMaterial({ application, onClose }: { application?: RepairRow; onClose: () => void }) {
  const [form] = Form.useForm<{ missing: string; note?: string }>();
  const request = useMutationForm<{ missing: string; note?: string }>({
    submit: (v) =>
      unwrap(
        api.POST('/v1/repair-applications/{id}/request-material', {
          params: { path: { id: application!.id } },
          body: {
            missing: v.missing
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean),
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          },
        }),
      ),
    success: '补正通知已发出，受理期限暂停计算',
    invalidate: [['repairs']],
    onSuccess: () => {
      form.resetFields();
      onClose();
    },
  });
  return (
    <FormModal
      open={!!application}
      title="要求补正材料"
      okText="发出补正通知"
      onClose={onClose}
      form={form}
      mutation={request}
    >
      <Form.Item
        name="missing"
        label="需补正的材料（每行一项）"
        rules={[{ required: true, whitespace: true, message: '请列出需补正的材料' }]}
      >
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="note" label="说明">
        <Input.TextArea rows={2} />
      </Form.Item>
    </FormModal>
  );
}

function DecideRepair({ application, onClose }: { application?: RepairRow; onClose: () => void }) {
  const [form] = Form.useForm<RepairDecision>();
  const outcome = Form.useWatch('outcome', form);
  const decide = useMutationForm<RepairDecision>({
    submit: (v) =>
      unwrap(
        api.POST('/v1/repair-applications/{id}/decide', {
          params: { path: { id: application!.id } },
          body: { outcome: v.outcome, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) },
        }),
      ),
    success: (_, v) => (v.outcome === 'approved' ? '已准予修复，名单条目已移出' : '已决定不予修复'),
    invalidate: [['repairs']],
    onSuccess: () => {
      form.resetFields();
      onClose();
    },
  });
  return (
    <FormModal<RepairDecision>
      open={!!application}
      title="信用修复决定"
      okText="提交决定"
      onClose={onClose}
      form={form}
      mutation={decide}
      initialValues={{ outcome: 'approved' }}
      confirm={(v) =>
        v.outcome === 'approved'
          ? '确认准予修复？名单条目将以"信用修复"移出，各部门解除措施。'
          : '确认不予修复？决定后不可修改。'
      }
    >
      <Form.Item name="outcome" label="决定">
        <Radio.Group
          options={[
            { value: 'approved', label: '准予修复' },
            { value: 'rejected', label: '不予修复' },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="reason"
        label={outcome === 'rejected' ? '不予修复的理由' : '说明'}
        rules={[{ required: outcome === 'rejected', whitespace: true, message: '不予修复须说明理由' }]}
      >
        <Input.TextArea rows={3} />
      </Form.Item>
    </FormModal>
  );
}

/** 陈述申辩、异议与信用修复: the owner's due-process work, with the working-day deadlines highlighted. */
export function DueProcessPage() {
  return (
    <Card title="陈述申辩、异议与信用修复">
      <Tabs
        items={[
          { key: 'statements', label: '陈述申辩', children: <StatementsTab /> },
          { key: 'objections', label: '异议', children: <ObjectionsTab /> },
          { key: 'repairs', label: '信用修复', children: <RepairsTab /> },
        ]}
      />
    </Card>
  );
}
