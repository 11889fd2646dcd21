import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Space, Switch, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { api, request, unwrap } from '../../api/client';
import { Confirmed, ProblemAlert } from '../../components/common';
import { formatTime } from '../../lib/time';
import { Page } from '../../lib/use-cursor';

function useList<T>(key: string, path: string) {
  return useQuery({ queryKey: [key], queryFn: () => request<Page<T>>('GET', path) });
}

interface Department {
  code: string;
  name: string;
  region: string;
  supervising: boolean;
  createdAt: string;
}

function DepartmentsPage() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [error, setError] = useState<unknown>();
  const list = useList<Department>('departments', '/v1/departments');
  return (
    <Card title="部门">
      <ProblemAlert error={error ?? list.error} />
      <Form
        layout="inline"
        style={{ marginBottom: 12 }}
        onFinish={async (v) => {
          setError(undefined);
          try {
            await unwrap(
              api.POST('/v1/departments', {
                body: {
                  code: v.code,
                  name: v.name,
                  region: v.region,
                  supervising: !!v.supervising,
                  externalPlatform: !!v.externalPlatform,
                },
              }),
            );
            message.success('部门已登记');
            await client.invalidateQueries({ queryKey: ['departments'] });
          } catch (err) {
            setError(err);
          }
        }}
      >
        <Form.Item name="code" label="代码" rules={[{ required: true }]}>
          <Input style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[{ required: true }]}>
          <Input style={{ width: 220 }} />
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
        <Button type="primary" htmlType="submit">
          登记
        </Button>
      </Form>
      <Table<Department>
        size="small"
        rowKey="code"
        dataSource={list.data?.items}
        pagination={{ pageSize: 15 }}
        columns={[
          { title: '代码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
          { title: '区划', dataIndex: 'region' },
          {
            title: '监督',
            dataIndex: 'supervising',
            render: (v: boolean) => (v ? <Tag color="#0958d9">是</Tag> : '否'),
          },
          { title: '登记时间', dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
        ]}
      />
    </Card>
  );
}

interface ListType {
  code: string;
  name: string;
  colour: string;
  ownerDept: string;
  infoClass: string;
  severity: string;
  defaultPeriodDays: number;
}

function ListTypesPage() {
  const list = useList<ListType>('list-types', '/v1/list-types');
  return (
    <Card title="名单类型">
      <ProblemAlert error={list.error} />
      <Table<ListType>
        size="small"
        rowKey="code"
        dataSource={list.data?.items}
        pagination={false}
        columns={[
          { title: '代码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
          {
            title: '红黑',
            dataIndex: 'colour',
            render: (v: string) => (
              <Tag color={v === 'red' ? '#a8071a' : 'default'}>{v === 'red' ? '红名单' : '黑名单'}</Tag>
            ),
          },
          { title: '认定部门', dataIndex: 'ownerDept' },
          { title: '信息类别', dataIndex: 'infoClass' },
          { title: '严重程度', dataIndex: 'severity' },
          { title: '默认公示期（天）', dataIndex: 'defaultPeriodDays' },
        ]}
      />
    </Card>
  );
}

interface Memorandum {
  code: string;
  title?: string;
  name?: string;
  measures?: unknown[];
  [k: string]: unknown;
}
interface Measure {
  code: string;
  memorandumCode: string;
  dept: string;
  text: string;
  mode: string;
  version: number;
  retired?: boolean;
  retiredAt?: string | null;
}

function MemorandaPage() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [error, setError] = useState<unknown>();
  const memoranda = useList<Memorandum>('memoranda', '/v1/memoranda');
  const measures = useList<Measure>('measures', '/v1/measures');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ProblemAlert error={error ?? memoranda.error ?? measures.error} />
      <Card
        title="合作备忘录"
        extra={
          <Upload
            accept=".xlsx,.json"
            showUploadList={false}
            beforeUpload={async (file) => {
              setError(undefined);
              try {
                const json = file.name.endsWith('.json');
                await request(
                  'POST',
                  '/v1/memoranda/import',
                  json ? JSON.parse(await file.text()) : file,
                  json
                    ? {}
                    : {
                        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                      },
                );
                message.success('目录已导入');
                await client.invalidateQueries();
              } catch (err) {
                setError(err);
              }
              return false;
            }}
          >
            <Button>导入措施目录（XLSX / JSON）</Button>
          </Upload>
        }
      >
        <Table<Memorandum>
          size="small"
          rowKey="code"
          dataSource={memoranda.data?.items}
          pagination={false}
          columns={[
            { title: '代码', dataIndex: 'code' },
            { title: '名称', render: (_, m) => m.title ?? m.name },
          ]}
        />
      </Card>
      <Card title="措施">
        <Table<Measure>
          size="small"
          rowKey="code"
          dataSource={measures.data?.items}
          pagination={{ pageSize: 15 }}
          scroll={{ x: 1000 }}
          columns={[
            { title: '代码', dataIndex: 'code' },
            { title: '备忘录', dataIndex: 'memorandumCode' },
            { title: '实施部门', dataIndex: 'dept' },
            { title: '内容', dataIndex: 'text', width: 360 },
            { title: '方式', dataIndex: 'mode' },
            { title: '版本', dataIndex: 'version' },
            {
              title: '操作',
              render: (_, m) =>
                m.retired || m.retiredAt ? (
                  <Tag>已停用</Tag>
                ) : (
                  <Confirmed
                    title={`停用措施 ${m.code}？在库条目将重新筛查。`}
                    onConfirm={async () => {
                      try {
                        await request('POST', `/v1/measures/${encodeURIComponent(m.code)}/retire`, {
                          reason: '控制台停用',
                        });
                        message.success('已停用');
                        await client.invalidateQueries({ queryKey: ['measures'] });
                      } catch (err) {
                        setError(err);
                      }
                    }}
                  >
                    停用
                  </Confirmed>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

interface Allowed {
  code: string;
  note: string;
  createdAt?: string;
}

function AllowListPage() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [error, setError] = useState<unknown>();
  const list = useList<Allowed>('allow-list', '/v1/identifier-allow-list');
  return (
    <Card title="标识白名单（试点期间校验位不符的代码）">
      <ProblemAlert error={error ?? list.error} />
      <Form
        layout="inline"
        style={{ marginBottom: 12 }}
        onFinish={async (v) => {
          setError(undefined);
          try {
            await unwrap(
              api.POST('/v1/identifier-allow-list', { body: { code: v.code.trim(), note: v.note } }),
            );
            message.success('已加入');
            await client.invalidateQueries({ queryKey: ['allow-list'] });
          } catch (err) {
            setError(err);
          }
        }}
      >
        <Form.Item name="code" label="代码" rules={[{ required: true }]}>
          <Input style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="note" label="说明" rules={[{ required: true }]}>
          <Input style={{ width: 280 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          加入
        </Button>
      </Form>
      <Table<Allowed>
        size="small"
        rowKey="code"
        dataSource={list.data?.items}
        columns={[
          { title: '代码', dataIndex: 'code' },
          { title: '说明', dataIndex: 'note' },
          { title: '加入时间', dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
          {
            title: '操作',
            render: (_, a) => (
              <Confirmed
                title={`从白名单移除 ${a.code}？`}
                onConfirm={async () => {
                  try {
                    await unwrap(
                      api.DELETE('/v1/identifier-allow-list/{code}', { params: { path: { code: a.code } } }),
                    );
                    await client.invalidateQueries({ queryKey: ['allow-list'] });
                  } catch (err) {
                    setError(err);
                  }
                }}
              >
                移除
              </Confirmed>
            ),
          },
        ]}
      />
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
