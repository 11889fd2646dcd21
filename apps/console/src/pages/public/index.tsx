import { useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, Layout, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { emptyText } from '../../components/fields';
import { ProblemAlert } from '../../components/common';
import { LoadMore } from '../../components/load-more';
import { formatDate } from '../../lib/time';
import { Page, useCursorList } from '../../lib/use-cursor';

/** One record of GET /public/v1/entries: as the public API masks it (an individual's name and ID number). */
interface PublicEntry {
  entryId: string;
  listType: { code: string; name: string; colour: 'red' | 'black'; severity: string };
  ownerDept: { code: string; name: string };
  subject: { kind: string; id: string; name: string; masked: boolean };
  decision: { documentNo: string; date: string };
  period: { from: string; to: string | null };
  publishedAt: string;
}

const KIND_LABELS: Record<string, string> = {
  legal_person: '法人',
  unincorporated_org: '非法人组织',
  individual: '自然人',
  individual_business: '个体工商户',
};

/**
 * 信用公示: anyone, without signing in, searches the class-A entries in force by name or code; the API
 * masks individuals (张*, 3301**********1234) and an ended entry disappears (终止公示).
 */
export default function PublicPages() {
  const [search, setSearch] = useState<{ q?: string; listType?: string }>({});
  const [typed, setTyped] = useState('');
  const listTypes = useQuery({
    queryKey: ['public-list-types'],
    queryFn: () => unwrap<Page<{ code: string; name: string }>>(api.GET('/public/v1/list-types')),
  });
  const list = useCursorList<PublicEntry>(['public-entries', search], (cursor) =>
    unwrap(
      api.GET('/public/v1/entries', {
        params: { query: { q: search.q, listType: search.listType, cursor, limit: 20 } },
      }),
    ),
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: 16 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          信用信息公示
        </Typography.Title>
        <span style={{ flex: 1 }} />
        <Link to="/" style={{ color: '#fff', whiteSpace: 'nowrap' }}>
          工作人员登录
        </Link>
      </Layout.Header>
      <Layout.Content style={{ padding: 16 }}>
        <main>
          <Card title="查询公示信息">
            <Typography.Paragraph type="secondary">
              按名称（单位名称的一部分、自然人的完整姓名）或统一社会信用代码、身份证号查询正在公示的失信和守信名单。自然人信息依法隐去部分内容。
            </Typography.Paragraph>
            <Form
              layout="inline"
              style={{ rowGap: 8, marginBottom: 16 }}
              onFinish={() => setSearch((s) => ({ ...s, q: typed.trim() || undefined }))}
            >
              <Form.Item label="名称或代码" htmlFor="public-q">
                <Input
                  id="public-q"
                  value={typed}
                  onChange={(e) => setTyped(e.target.value)}
                  allowClear
                  style={{ width: 300, maxWidth: '100%' }}
                  placeholder="至少 2 个字"
                />
              </Form.Item>
              <Form.Item label="名单类型" htmlFor="public-list-type">
                <Select
                  id="public-list-type"
                  allowClear
                  style={{ width: 220 }}
                  placeholder="全部"
                  onChange={(listType) => setSearch((s) => ({ ...s, listType }))}
                  options={listTypes.data?.items.map((t) => ({ value: t.code, label: t.name }))}
                />
              </Form.Item>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
            </Form>
            <ProblemAlert error={list.error ?? listTypes.error} />
            <div data-testid="public-results">
              <Table<PublicEntry>
                rowKey="entryId"
                size="small"
                loading={list.isLoading}
                dataSource={list.items}
                pagination={false}
                scroll={{ x: 900 }}
                locale={{ emptyText: emptyText('没有符合条件的公示信息') }}
                columns={[
                  { title: '主体名称', render: (_, e) => e.subject.name },
                  {
                    title: '统一社会信用代码 / 身份证号',
                    render: (_, e) => <code data-testid="public-subject-id">{e.subject.id}</code>,
                  },
                  { title: '主体类型', render: (_, e) => KIND_LABELS[e.subject.kind] ?? e.subject.kind },
                  {
                    title: '名单类型',
                    render: (_, e) => (
                      <Space size={4} wrap>
                        <Tag color={e.listType.colour === 'red' ? '#a8071a' : '#262626'}>
                          {e.listType.colour === 'red' ? '守信' : '失信'}
                        </Tag>
                        <span>{e.listType.name}</span>
                      </Space>
                    ),
                  },
                  { title: '认定部门', render: (_, e) => e.ownerDept.name },
                  {
                    title: '决定文书',
                    render: (_, e) => `${e.decision.documentNo}（${e.decision.date}）`,
                  },
                  {
                    title: '公示期',
                    render: (_, e) =>
                      `${formatDate(e.period.from)} 至 ${e.period.to ? formatDate(e.period.to) : '—'}`,
                  },
                ]}
              />
            </div>
            <LoadMore list={list} />
          </Card>
          <PublicCases />
        </main>
      </Layout.Content>
    </Layout>
  );
}

/** One published case of GET /public/v1/cases: persons masked by the API, no feedback texts or staff names. */
interface PublicCase {
  id: string;
  title: string;
  summary: string;
  kind: 'punishment' | 'incentive';
  region: string;
  nominatingDept: string;
  publishedAt: string;
  entries: { listType: string; colour: string; subject: { name: string; id: string } }[];
  measures: { dept: string; measureCode: string; measure: string | null; enforcedAt: string }[];
}

/** 典型案例公示: the cases the credit office published (decision 0036), newest first. */
function PublicCases() {
  const [kind, setKind] = useState<'punishment' | 'incentive'>();
  const list = useCursorList<PublicCase>(['public-cases', kind], (cursor) =>
    unwrap(api.GET('/public/v1/cases', { params: { query: { kind, cursor, limit: 10 } as never } })),
  );
  return (
    <Card title="联合奖惩典型案例" style={{ marginTop: 16 }}>
      <Space wrap style={{ marginBottom: 12 }}>
        <label htmlFor="public-case-kind">案例类型</label>
        <Select
          id="public-case-kind"
          allowClear
          placeholder="全部"
          style={{ width: 160 }}
          onChange={setKind}
          options={[
            { value: 'punishment', label: '联合惩戒' },
            { value: 'incentive', label: '联合激励' },
          ]}
        />
      </Space>
      <ProblemAlert error={list.error} />
      <div data-testid="public-cases">
        <Table<PublicCase>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: emptyText('暂无公示的典型案例') }}
          expandable={{
            expandedRowRender: (c) => (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                {c.summary}
              </Typography.Paragraph>
            ),
          }}
          columns={[
            { title: '案例', dataIndex: 'title' },
            { title: '类型', render: (_, c) => (c.kind === 'incentive' ? '联合激励' : '联合惩戒') },
            {
              title: '主体',
              render: (_, c) => c.entries.map((e) => `${e.subject.name}（${e.subject.id}）`).join('；'),
            },
            {
              title: '实施措施',
              render: (_, c) => c.measures.map((m) => `${m.dept}：${m.measure ?? m.measureCode}`).join('；'),
            },
            { title: '推荐部门', dataIndex: 'nominatingDept' },
            { title: '公示日期', render: (_, c) => formatDate(c.publishedAt) },
          ]}
        />
      </div>
      <LoadMore list={list} />
    </Card>
  );
}
