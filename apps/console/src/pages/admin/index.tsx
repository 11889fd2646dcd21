import { Card, Form, Input, Switch, Table, Tag, Button } from 'antd';
import { Navigate, Route, Routes } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { Confirmed, ProblemAlert } from '../../components/common';
import { LoadMore } from '../../components/load-more';
import { formatTime } from '../../lib/time';
import { Page, useCursorList } from '../../lib/use-cursor';
import { useMutationForm } from '../../lib/use-mutation-form';
import { ListTypesPage } from './list-types';
import { MemorandaPage } from './measures';

/** Rows per page of the admin lists (the APIs page by code). */
export const ADMIN_PAGE_SIZE = 20;

/** One page of an admin list through the typed client (`?cursor=&limit=`). */
export function pageOf<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>) {
  return unwrap<Page<T>>(call);
}

interface Department {
  code: string;
  name: string;
  region: string;
  supervising: boolean;
  externalPlatform?: boolean;
  createdAt: string;
}

function DepartmentsPage() {
  const [form] = Form.useForm();
  const list = useCursorList<Department>(['admin', 'departments'], (cursor) =>
    pageOf(api.GET('/v1/departments', { params: { query: { cursor, limit: ADMIN_PAGE_SIZE } } })),
  );
  const register = useMutationForm({
    submit: (v: Record<string, string | boolean | undefined>) =>
      unwrap(
        api.POST('/v1/departments', {
          body: {
            code: String(v.code).trim(),
            name: String(v.name).trim(),
            region: String(v.region).trim(),
            supervising: !!v.supervising,
            externalPlatform: !!v.externalPlatform,
          },
        }),
      ),
    success: '部门已登记',
    invalidate: [['admin', 'departments'], ['departments']],
    onSuccess: () => form.resetFields(),
  });
  return (
    <Card title="部门">
      <ProblemAlert error={register.error ?? list.error} />
      <Form form={form} layout="inline" style={{ marginBottom: 12, rowGap: 8 }} onFinish={register.run}>
        <Form.Item name="code" label="代码" rules={[{ required: true, message: '请填写部门代码' }]}>
          <Input style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写部门名称' }]}>
          <Input style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="region"
          label="区划"
          rules={[{ required: true, pattern: /^\d{6}$/, message: '6 位区划代码' }]}
        >
          <Input style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="supervising" label="监督部门" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="externalPlatform" label="外部平台" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={register.busy}>
          登记
        </Button>
      </Form>
      <Table<Department>
        size="small"
        rowKey="code"
        dataSource={list.items}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 720 }}
        columns={[
          { title: '代码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
          { title: '区划', dataIndex: 'region' },
          {
            title: '监督',
            dataIndex: 'supervising',
            render: (v: boolean) => (v ? <Tag color="#0958d9">是</Tag> : '否'),
          },
          {
            title: '外部平台',
            dataIndex: 'externalPlatform',
            render: (v?: boolean) => (v ? <Tag color="#531dab">是</Tag> : '否'),
          },
          { title: '登记时间', dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
        ]}
      />
      <LoadMore list={list} testId="departments-more" />
    </Card>
  );
}

interface Allowed {
  code: string;
  note: string;
  addedBy?: string;
  addedAt?: string;
}

function AllowListPage() {
  const [form] = Form.useForm();
  const list = useCursorList<Allowed>(['admin', 'allow-list'], (cursor) =>
    pageOf(api.GET('/v1/identifier-allow-list', { params: { query: { cursor, limit: ADMIN_PAGE_SIZE } } })),
  );
  const add = useMutationForm({
    submit: (v: { code: string; note: string }) =>
      unwrap(api.POST('/v1/identifier-allow-list', { body: { code: v.code.trim(), note: v.note.trim() } })),
    success: '已加入白名单',
    invalidate: [['admin', 'allow-list']],
    onSuccess: () => form.resetFields(),
  });
  const remove = useMutationForm({
    submit: (code: string) =>
      unwrap(api.DELETE('/v1/identifier-allow-list/{code}', { params: { path: { code } } })),
    success: '已从白名单移除',
    invalidate: [['admin', 'allow-list']],
  });
  return (
    <Card title="标识白名单（试点期间校验位不符的代码）">
      <ProblemAlert error={add.error ?? remove.error ?? list.error} />
      <Form form={form} layout="inline" style={{ marginBottom: 12, rowGap: 8 }} onFinish={add.run}>
        <Form.Item name="code" label="代码" rules={[{ required: true, message: '请填写统一社会信用代码' }]}>
          <Input style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="note" label="说明" rules={[{ required: true, message: '请填写说明' }]}>
          <Input style={{ width: 260 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={add.busy}>
          加入
        </Button>
      </Form>
      <Table<Allowed>
        size="small"
        rowKey="code"
        dataSource={list.items}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 720 }}
        columns={[
          { title: '代码', dataIndex: 'code' },
          { title: '说明', dataIndex: 'note' },
          { title: '加入人', dataIndex: 'addedBy' },
          { title: '加入时间', dataIndex: 'addedAt', render: (v: string) => formatTime(v) },
          {
            title: '操作',
            render: (_, a) => (
              <Confirmed
                title={`从白名单移除 ${a.code}？该代码的新认定将按校验位拒绝。`}
                onConfirm={() => remove.run(a.code)}
              >
                移除
              </Confirmed>
            ),
          },
        ]}
      />
      <LoadMore list={list} testId="allow-list-more" />
    </Card>
  );
}

export default function AdminPages() {
  return (
    <Routes>
      <Route path="departments" element={<DepartmentsPage />} />
      <Route path="list-types" element={<ListTypesPage />} />
      <Route path="memoranda" element={<MemorandaPage />} />
      <Route path="allow-list" element={<AllowListPage />} />
      <Route path="*" element={<Navigate to="departments" replace />} />
    </Routes>
  );
}
