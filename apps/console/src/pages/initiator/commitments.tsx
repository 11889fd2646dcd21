import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { request, api, unwrap } from '../../api/client';
import { Confirmed, ProblemAlert } from '../../components/common';
import { emptyText } from '../../components/fields';
import { LoadMore } from '../../components/load-more';
import { formatDate, formatTime } from '../../lib/time';
import { useCursorList } from '../../lib/use-cursor';

/** One commitment of GET /v1/commitments (registry's toCommitmentView). */
interface CommitmentRow {
  id: string;
  subject: { kind: string; id: string; name: string };
  matter: string;
  text: string;
  madeOn: string | null;
  status: 'open' | 'kept' | 'broken';
  recordedAt: string;
  settledAt: string | null;
  settlementNote: string | null;
}

const MATTERS: Record<string, string> = {
  repair: '信用修复',
  licence: '行政许可',
  subsidy: '财政资金',
  other: '其他事项',
};
const STATUS: Record<CommitmentRow['status'], { label: string; color: string }> = {
  open: { label: '履行中', color: '#0958d9' },
  kept: { label: '已履行', color: '#135200' },
  broken: { label: '未履行（失信）', color: '#a8071a' },
};

/**
 * 信用承诺 made to the department: it finds each kept (confirmed) or broken (with the facts, 失信事实; a
 * broken one may become a new entry's basis, through the API).
 */
export function CommitmentsPage() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [breaking, setBreaking] = useState<CommitmentRow>();
  const [form] = Form.useForm<{ note: string }>();
  const list = useCursorList<CommitmentRow>(['commitments', status], (cursor) =>
    unwrap(api.GET('/v1/commitments', { params: { query: { status, cursor, limit: 20 } as never } })),
  );
  const settle = async (id: string, how: 'kept' | 'broken', body: object) => {
    setError(undefined);
    try {
      await request('POST', `/v1/commitments/${id}/${how}`, body);
      message.success(how === 'kept' ? '已认定履行' : '已认定未履行');
      await client.invalidateQueries({ queryKey: ['commitments'] });
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  return (
    <Card title="向本部门作出的信用承诺">
      <ProblemAlert error={error ?? list.error} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label="履行情况"
          allowClear
          placeholder="履行情况"
          style={{ width: 160 }}
          onChange={setStatus}
          options={Object.entries(STATUS).map(([value, s]) => ({ value, label: s.label }))}
        />
      </Space>
      <div data-testid="commitments">
        <Table<CommitmentRow>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 1000 }}
          locale={{ emptyText: emptyText('暂无信用承诺') }}
          columns={[
            { title: '主体', render: (_, c) => c.subject.name },
            { title: '标识', render: (_, c) => <code>{c.subject.id}</code> },
            { title: '事项', render: (_, c) => MATTERS[c.matter] ?? c.matter },
            { title: '承诺内容', dataIndex: 'text' },
            { title: '承诺日期', render: (_, c) => formatDate(c.madeOn ?? c.recordedAt) },
            {
              title: '履行情况',
              render: (_, c) => <Tag color={STATUS[c.status].color}>{STATUS[c.status].label}</Tag>,
            },
            {
              title: '认定',
              render: (_, c) => (c.settledAt ? `${formatTime(c.settledAt)} ${c.settlementNote ?? ''}` : '—'),
            },
            {
              title: '操作',
              fixed: 'right',
              render: (_, c) => (
                <Space size="small">
                  {c.status === 'open' && (
                    <Confirmed
                      danger={false}
                      title="确认该承诺已履行？"
                      onConfirm={() => settle(c.id, 'kept', {})}
                    >
                      认定履行
                    </Confirmed>
                  )}
                  {c.status !== 'broken' && (
                    <Button danger onClick={() => setBreaking(c)}>
                      认定未履行
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </div>
      <LoadMore list={list} />
      <Modal
        open={!!breaking}
        title="认定承诺未履行"
        okText="确认认定未履行"
        cancelText="取消"
        okButtonProps={{ danger: true }}
        onCancel={() => setBreaking(undefined)}
        onOk={async () => {
          const { note } = await form.validateFields();
          if (breaking && (await settle(breaking.id, 'broken', { note }))) {
            form.resetFields();
            setBreaking(undefined);
          }
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="note" label="失信事实" rules={[{ required: true, message: '请填写失信事实' }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
