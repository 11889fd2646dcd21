import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  List,
  Modal,
  Result,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { CheckboxProps } from 'antd';
import { useState } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { api, request, unwrap } from '../../api/client';
import { CasesPage } from '../cases';
import { Confirmed, DeadlineTag, ProblemAlert, StatusTag } from '../../components/common';
import { LoadMore } from '../../components/load-more';
import { formatTime } from '../../lib/time';
import { Page, useCursorList } from '../../lib/use-cursor';

interface InboxItem {
  id: string;
  entryId: string;
  measure: { code: string; text: string; legalBasis: string; mode: string };
  listType: string;
  subject: { id: string; name: string };
  target: { id: string; name?: string; role?: string };
  status: string;
  issuedAt: string;
  feedbackDeadline: string | null;
  acknowledgedAt: string | null;
}

function InboxPage() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [status, setStatus] = useState<string | undefined>('issued');
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [feedbackFor, setFeedbackFor] = useState<string[]>();
  const [form] = Form.useForm();
  const list = useCursorList<InboxItem>(['inbox', status], (cursor) =>
    unwrap(api.GET('/v1/inbox', { params: { query: { status, cursor, limit: 50 } as never } })),
  );
  const refresh = () => client.invalidateQueries({ queryKey: ['inbox'] });
  const run = async (what: string, work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      message.success(what);
      setSelected([]);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const chosen = list.items.filter((i) => selected.includes(i.id));
  return (
    <Card title="待办任务（收件箱）">
      <ProblemAlert error={error ?? list.error} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label="任务状态"
          allowClear
          placeholder="全部状态"
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={['issued', 'acknowledged', 'enforced', 'lifted', 'lift_confirmed'].map((s) => ({
            value: s,
            label: <StatusTag status={s} />,
          }))}
        />
        <Button
          type="primary"
          disabled={!chosen.some((i) => i.status === 'issued')}
          onClick={() =>
            run(`已签收 ${chosen.length} 项`, () =>
              unwrap(
                api.POST('/v1/assignments/ack', {
                  body: { ids: chosen.filter((i) => i.status === 'issued').map((i) => i.id) },
                }),
              ),
            )
          }
        >
          批量签收（{chosen.filter((i) => i.status === 'issued').length}）
        </Button>
        <Button
          disabled={!chosen.some((i) => i.status === 'acknowledged')}
          onClick={() => setFeedbackFor(chosen.filter((i) => i.status === 'acknowledged').map((i) => i.id))}
        >
          批量反馈实施情况（{chosen.filter((i) => i.status === 'acknowledged').length}）
        </Button>
        <Confirmed
          danger={false}
          title="确认已解除所选措施？"
          disabled={!chosen.some((i) => i.status === 'lifted')}
          onConfirm={() =>
            run('已确认解除', async () => {
              for (const item of chosen.filter((i) => i.status === 'lifted'))
                await unwrap(
                  api.POST('/v1/assignments/{id}/lift-confirmation', { params: { path: { id: item.id } } }),
                );
            })
          }
        >
          确认解除（{chosen.filter((i) => i.status === 'lifted').length}）
        </Confirmed>
      </Space>
      <Table<InboxItem>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1100 }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as string[]),
          // each row's checkbox named for a screen reader (Ant Design passes the attribute to the input)
          getCheckboxProps: (i) =>
            ({
              'aria-label': `选择 ${i.target.name ?? i.subject.name} ${i.measure.code}`,
            }) as unknown as CheckboxProps,
        }}
        columns={[
          { title: '主体', render: (_, i) => i.target.name ?? i.subject.name },
          {
            title: '措施',
            render: (_, i) => <span title={i.measure.legalBasis}>{i.measure.text}</span>,
            width: 320,
          },
          { title: '方式', render: (_, i) => <Tag>{i.measure.mode}</Tag> },
          { title: '状态', render: (_, i) => <StatusTag status={i.status} /> },
          { title: '下发时间', render: (_, i) => formatTime(i.issuedAt) },
          {
            title: '反馈期限',
            render: (_, i) => (
              <DeadlineTag
                deadline={i.feedbackDeadline}
                done={!['issued', 'acknowledged'].includes(i.status)}
              />
            ),
          },
        ]}
      />
      <LoadMore list={list} unit="项" />
      <Modal
        open={!!feedbackFor}
        title={`反馈实施情况（${feedbackFor?.length ?? 0} 项）`}
        okText="提交"
        cancelText="取消"
        onCancel={() => setFeedbackFor(undefined)}
        onOk={() => form.submit()}
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ outcome: 'enforced' }}
          onFinish={(v) =>
            run('反馈已提交', async () => {
              for (const id of feedbackFor ?? [])
                await unwrap(
                  api.POST('/v1/assignments/{id}/feedback', {
                    params: { path: { id } },
                    body: { outcome: v.outcome, detail: v.detail, reference: v.reference || undefined },
                  }),
                );
              setFeedbackFor(undefined);
              form.resetFields();
            })
          }
        >
          <Form.Item name="outcome" label="实施结果" rules={[{ required: true }]}>
            <Select
              options={[
                { value: 'enforced', label: '已实施' },
                { value: 'not_applicable', label: '不适用' },
              ]}
            />
          </Form.Item>
          <Form.Item name="detail" label="实施情况说明" rules={[{ required: true, message: '请填写说明' }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="reference" label="文号或业务编号">
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

interface CheckAnswer {
  checkId: string;
  decision: 'allow' | 'block' | 'warn' | 'priority';
  reasons: {
    entryId: string;
    listType: string;
    measureCode: string;
    measure: string;
    legalBasis: string;
    mode: string;
    until: string;
  }[];
}

const DECISIONS: Record<string, { status: 'success' | 'error' | 'warning' | 'info'; title: string }> = {
  allow: { status: 'success', title: '允许（allow）' },
  block: { status: 'error', title: '禁止（block）' },
  warn: { status: 'warning', title: '提示（warn）' },
  priority: { status: 'info', title: '优先（priority）' },
};

function CheckPage() {
  const [answer, setAnswer] = useState<CheckAnswer>();
  const [error, setError] = useState<unknown>();
  return (
    <Card title="核查工具" style={{ maxWidth: 900 }}>
      <ProblemAlert error={error} />
      <Form
        layout="inline"
        initialValues={{ action: 'government_procurement_bid', stage: 'approval' }}
        onFinish={async (v) => {
          setError(undefined);
          setAnswer(undefined);
          try {
            setAnswer(
              await unwrap<CheckAnswer>(
                api.POST('/v1/checks', {
                  body: { subject: { id: v.subject.trim() }, action: v.action, stage: v.stage },
                }),
              ),
            );
          } catch (err) {
            setError(err);
          }
        }}
      >
        <Form.Item name="subject" label="主体标识" rules={[{ required: true, message: '请输入标识' }]}>
          <Input style={{ width: 240 }} placeholder="统一社会信用代码或身份证号" />
        </Form.Item>
        <Form.Item name="action" label="业务事项" rules={[{ required: true }]}>
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="stage" label="环节">
          <Select
            style={{ width: 110 }}
            options={[
              { value: 'acceptance', label: '受理' },
              { value: 'approval', label: '审批' },
              { value: 'completion', label: '办结' },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          核查
        </Button>
      </Form>
      {answer && (
        <>
          <Result
            status={DECISIONS[answer.decision]?.status ?? 'info'}
            title={
              <span data-testid="check-decision">{DECISIONS[answer.decision]?.title ?? answer.decision}</span>
            }
            subTitle={`核查编号 ${answer.checkId}`}
          />
          <List
            header="依据"
            bordered
            dataSource={answer.reasons}
            locale={{ emptyText: '本部门无须实施的措施' }}
            renderItem={(r) => (
              <List.Item>
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>{r.measure}</Typography.Text>
                  <span>
                    名单 {r.listType} · 措施 {r.measureCode} · 至 {formatTime(r.until)}
                  </span>
                  <Typography.Text type="secondary">法律依据：{r.legalBasis}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}

interface Subscription {
  measureCode: string;
  channel: string;
  webhookUrl?: string | null;
}
interface Delivery {
  id: string;
  status: string;
  eventType?: string;
  attempts?: number;
  lastError?: string | null;
  createdAt?: string;
}

function WebhooksPage() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [error, setError] = useState<unknown>();
  const subs = useQuery({
    queryKey: ['subscriptions'],
    queryFn: () => request<Page<Subscription>>('GET', '/v1/subscriptions'),
  });
  const deliveries = useCursorList<Delivery>(['deliveries'], (cursor) =>
    request('GET', `/v1/deliveries?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ProblemAlert error={error ?? subs.error ?? deliveries.error} />
      <Card title="接收方式（订阅）">
        <Table<Subscription>
          size="small"
          rowKey="measureCode"
          dataSource={subs.data?.items}
          pagination={false}
          columns={[
            { title: '措施', dataIndex: 'measureCode' },
            { title: '方式', dataIndex: 'channel' },
            { title: '推送地址', dataIndex: 'webhookUrl' },
            {
              title: '操作',
              render: (_, s) => (
                <Confirmed
                  title={`取消措施 ${s.measureCode} 的订阅？`}
                  onConfirm={async () => {
                    try {
                      await unwrap(
                        api.DELETE('/v1/subscriptions/{measureCode}', {
                          params: { path: { measureCode: s.measureCode } },
                        }),
                      );
                      message.success('已取消');
                      await client.invalidateQueries({ queryKey: ['subscriptions'] });
                    } catch (err) {
                      setError(err);
                    }
                  }}
                >
                  取消订阅
                </Confirmed>
              ),
            },
          ]}
        />
        <Form
          layout="inline"
          style={{ marginTop: 12 }}
          onFinish={async (v) => {
            setError(undefined);
            try {
              await unwrap(
                api.PUT('/v1/subscriptions/{measureCode}', {
                  params: { path: { measureCode: v.measureCode } },
                  body: { channel: v.channel, webhookUrl: v.webhookUrl || undefined },
                }),
              );
              message.success('已保存');
              await client.invalidateQueries({ queryKey: ['subscriptions'] });
            } catch (err) {
              setError(err);
            }
          }}
        >
          <Form.Item name="measureCode" label="措施编码" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="channel" label="方式" initialValue="webhook">
            <Select
              style={{ width: 110 }}
              options={['pull', 'webhook', 'stream'].map((c) => ({ value: c, label: c }))}
            />
          </Form.Item>
          <Form.Item name="webhookUrl" label="推送地址">
            <Input style={{ width: 280 }} placeholder="https://…" />
          </Form.Item>
          <Button htmlType="submit" type="primary">
            保存
          </Button>
        </Form>
      </Card>
      <Card title="推送记录">
        <Table<Delivery>
          size="small"
          rowKey="id"
          dataSource={deliveries.items}
          pagination={false}
          columns={[
            { title: '编号', dataIndex: 'id', render: (v: string) => <code>{v.slice(0, 8)}</code> },
            { title: '事件', dataIndex: 'eventType' },
            { title: '状态', dataIndex: 'status' },
            { title: '尝试次数', dataIndex: 'attempts' },
            { title: '错误', dataIndex: 'lastError' },
            { title: '时间', dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
            {
              title: '操作',
              render: (_, d) => (
                <Confirmed
                  danger={false}
                  title="重新推送该记录？"
                  onConfirm={async () => {
                    try {
                      await request('POST', `/v1/deliveries/${d.id}/replay`);
                      message.success('已重新排队');
                      await client.invalidateQueries({ queryKey: ['deliveries'] });
                    } catch (err) {
                      setError(err);
                    }
                  }}
                >
                  重推
                </Confirmed>
              ),
            },
          ]}
        />
        {deliveries.hasNextPage && <Button onClick={() => deliveries.fetchNextPage()}>加载更多</Button>}
      </Card>
    </Space>
  );
}

interface Notification {
  id: string;
  subjectId: string;
  type?: string;
  at?: string;
  [k: string]: unknown;
}

function WatchListPage() {
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>();
  const notes = useQuery({
    queryKey: ['watch-notifications'],
    queryFn: () => request<Page<Notification>>('GET', '/v1/watch-list/notifications'),
  });
  return (
    <Card title="关注名单">
      <ProblemAlert error={error ?? notes.error} />
      <Form
        layout="inline"
        onFinish={async (v) => {
          setError(undefined);
          try {
            await unwrap(
              api.PUT('/v1/watch-list/{subjectId}', {
                params: { path: { subjectId: v.subjectId.trim() } },
                body: { note: v.note },
              }),
            );
            message.success('已关注');
          } catch (err) {
            setError(err);
          }
        }}
      >
        <Form.Item name="subjectId" label="主体标识" rules={[{ required: true }]}>
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="note" label="关注理由">
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          关注
        </Button>
      </Form>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        动态通知
      </Typography.Title>
      <Table<Notification>
        size="small"
        rowKey="id"
        dataSource={notes.data?.items}
        columns={[
          { title: '主体', dataIndex: 'subjectId' },
          { title: '事件', dataIndex: 'type' },
          { title: '时间', dataIndex: 'at', render: (v: string) => formatTime(v) },
        ]}
      />
    </Card>
  );
}

export default function ImplementerPages() {
  return (
    <Routes>
      <Route path="inbox" element={<InboxPage />} />
      <Route path="check" element={<CheckPage />} />
      <Route path="webhooks" element={<WebhooksPage />} />
      <Route path="watch-list" element={<WatchListPage />} />
      <Route path="cases" element={<CasesPage role="implementer" />} />
      <Route path="*" element={<Navigate to="inbox" replace />} />
    </Routes>
  );
}
