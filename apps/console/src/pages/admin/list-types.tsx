import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { api, request, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { ProblemAlert } from '../../components/common';
import { DepartmentSelect, RequiredRadioGroup, RequiredSelect } from '../../components/form-controls';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../lib/use-cursor';
import { useMutationForm } from '../../lib/use-mutation-form';

export const INFO_CLASS_LABELS: Record<string, string> = {
  A: 'A 类（社会公开）',
  B: 'B 类（部门共享）',
  C: 'C 类（授权查询）',
};
export const SEVERITY_LABELS: Record<string, string> = { minor: '轻微', general: '一般', serious: '严重' };
export const SUBJECT_KIND_LABELS: Record<string, string> = {
  legal_person: '法人',
  unincorporated_org: '非法人组织',
  individual: '自然人',
  individual_business: '个体工商户',
};
/** Days a period may last for each severity band (the service's SEVERITY_PERIOD_DAYS, shown as a hint). */
const SEVERITY_BANDS: Record<string, string> = {
  minor: '1–92 天',
  general: '90–366 天',
  serious: '365–1096 天',
};

/** A list type as GET /v1/list-types answers it (generated from the registry's OpenAPI document). */
export type ListType = components['schemas']['ListTypeView'];

type FormValues = Record<string, unknown> & {
  code: string;
  extensible?: boolean;
  extension?: { minDays: number; maxDays: number; maxTimes?: number };
  repairConditions?: { code: string; text: string }[];
};

/** The form's values of a list type being edited. */
function valuesOf(t: ListType): FormValues {
  return {
    code: t.code,
    name: t.name,
    colour: t.colour,
    ownerDept: t.ownerDept,
    legalBasis: t.legalBasis,
    infoClass: t.infoClass,
    severity: t.severity,
    defaultPeriodDays: t.defaultPeriodDays,
    subjectKinds: t.subjectKinds,
    noticeWorkingDays: t.noticeWorkingDays,
    minStatementWorkingDays: t.minStatementWorkingDays ?? undefined,
    minStatementReason: t.minStatementReason ?? undefined,
    suspendOnObjection: t.suspendOnObjection,
    objectionWorkingDays: t.objectionWorkingDays,
    criteria: t.criteria ?? undefined,
    exitConditions: t.exitConditions ?? undefined,
    publishMinor: t.publishMinor,
    repairable: t.repair.repairable,
    minRepairDays: t.repair.minRepairDays ?? undefined,
    minRepairDaysReason: t.repair.minRepairDaysReason ?? undefined,
    repairConditions: t.repair.conditions,
    commitmentRequired: t.repair.commitmentRequired,
    repairAcceptWorkingDays: t.repair.acceptWorkingDays,
    repairDecideWorkingDays: t.repair.decideWorkingDays,
    openEndedAllowed: t.openEndedAllowed,
    extensible: !!t.extension,
    extension: t.extension ?? undefined,
    excludedSubjects: t.excludedSubjects,
    endsOnBlackListing: t.endsOnBlackListing,
  };
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The body of POST /v1/list-types (and, without its code, PUT /v1/list-types/{code}). */
export function listTypeBody(v: FormValues) {
  const { extensible, extension, repairConditions, ...rest } = v;
  const body: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(rest)) if (!blank(value)) body[k] = value;
  if (extensible && extension)
    body.extension = {
      minDays: extension.minDays,
      maxDays: extension.maxDays,
      maxTimes: extension.maxTimes ?? 1,
    };
  const conditions = (repairConditions ?? []).filter((c) => c?.code && c?.text);
  if (conditions.length) body.repairConditions = conditions;
  if (body.colour !== 'red') delete body.endsOnBlackListing;
  return body;
}

function ListTypeForm({ editing, onDone }: { editing?: ListType; onDone: () => void }) {
  const [form] = Form.useForm<FormValues>();
  const colour = Form.useWatch('colour', form);
  const extensible = Form.useWatch('extensible', form);
  const save = useMutationForm({
    submit: (v: FormValues) => {
      const body = listTypeBody(v);
      if (editing) {
        delete body.code;
        return request('PUT', `/v1/list-types/${encodeURIComponent(editing.code)}`, body);
      }
      return unwrap(api.POST('/v1/list-types', { body: body as never }));
    },
    success: editing ? '名单类型已修改' : '名单类型已新建',
    invalidate: [['admin', 'list-types'], ['list-types']],
    onSuccess: onDone,
  });
  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      initialValues={
        editing
          ? valuesOf(editing)
          : {
              colour: 'black',
              infoClass: 'A',
              severity: 'general',
              defaultPeriodDays: 365,
              noticeWorkingDays: 5,
              suspendOnObjection: true,
              subjectKinds: ['legal_person'],
              repairable: true,
              commitmentRequired: true,
            }
      }
      onFinish={save.run}
    >
      <Divider orientation="left" plain>
        基本信息
      </Divider>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item
            name="code"
            label="代码"
            rules={[
              { required: true, pattern: /^[A-Z0-9_]{2,64}$/, message: '2–64 位大写字母、数字或下划线' },
            ]}
          >
            <Input disabled={!!editing} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="colour"
            label="红黑名单"
            rules={[{ required: true }]}
            extra={editing ? '名单颜色创建后不可更改' : undefined}
          >
            <RequiredRadioGroup disabled={!!editing}>
              <Radio value="black">黑名单（惩戒）</Radio>
              <Radio value="red">红名单（激励）</Radio>
            </RequiredRadioGroup>
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="ownerDept"
            label="认定部门"
            rules={[{ required: true, message: '请选择认定部门' }]}
          >
            <DepartmentSelect disabled={!!editing} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="infoClass" label="信息类别" rules={[{ required: true }]}>
            <RequiredSelect
              options={Object.entries(INFO_CLASS_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="subjectKinds"
            label="主体类型"
            rules={[{ required: true, message: '至少选择一种主体类型' }]}
          >
            <RequiredSelect
              mode="multiple"
              options={Object.entries(SUBJECT_KIND_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item
            name="legalBasis"
            label="设立依据"
            rules={[{ required: true, message: '请填写设立依据' }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="criteria" label="认定标准">
            <Input.TextArea rows={2} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="exitConditions" label="退出条件">
            <Input.TextArea rows={2} />
          </Form.Item>
        </Col>
      </Row>
      <Divider orientation="left" plain>
        严重程度与公示期
      </Divider>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="severity" label="严重程度" rules={[{ required: true }]}>
            <RequiredSelect
              options={Object.entries(SEVERITY_LABELS).map(([value, label]) => ({
                value,
                label: `${label}（${SEVERITY_BANDS[value]}）`,
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="defaultPeriodDays"
            label="默认公示期（天）"
            rules={[{ required: true, message: '请填写天数' }]}
          >
            <InputNumber min={1} max={1096} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="publishMinor" label="轻微失信也公示" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="openEndedAllowed" label="允许不定期（履行完毕前）" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="extensible" label="可延长" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        {extensible && (
          <>
            <Col xs={8} md={8}>
              <Form.Item
                name={['extension', 'minDays']}
                label="最短延长（天）"
                rules={[{ required: true, message: '必填' }]}
              >
                <InputNumber min={1} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={8} md={8}>
              <Form.Item
                name={['extension', 'maxDays']}
                label="最长延长（天）"
                rules={[{ required: true, message: '必填' }]}
              >
                <InputNumber min={1} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={8} md={8}>
              <Form.Item name={['extension', 'maxTimes']} label="最多延长次数">
                <InputNumber min={1} max={10} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </>
        )}
        <Col xs={24} md={8}>
          <Form.Item name="excludedSubjects" label="不得列入">
            <Checkbox.Group options={[{ value: 'minors', label: '未成年人' }]} />
          </Form.Item>
        </Col>
        {colour === 'red' && (
          <Col xs={24} md={8}>
            <Form.Item name="endsOnBlackListing" label="列入黑名单即移出（红黑互斥）" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        )}
      </Row>
      <Divider orientation="left" plain>
        告知、陈述申辩与异议
      </Divider>
      <Row gutter={12}>
        <Col xs={12} md={8}>
          <Form.Item
            name="noticeWorkingDays"
            label="陈述申辩期（工作日）"
            rules={[{ required: true, message: '必填' }]}
          >
            <InputNumber min={0} max={60} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="minStatementWorkingDays" label="最短陈述申辩期（工作日）">
            <InputNumber min={0} max={60} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="minStatementReason" label="缩短陈述期的依据">
            <Input />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="suspendOnObjection" label="异议期间暂停措施" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="objectionWorkingDays" label="异议处理时限（工作日）">
            <InputNumber min={1} max={20} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Divider orientation="left" plain>
        信用修复
      </Divider>
      <Row gutter={12}>
        <Col xs={12} md={8}>
          <Form.Item name="repairable" label="可提前修复" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="commitmentRequired" label="须提交信用承诺书" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="minRepairDays" label="最短公示期（天）后可修复">
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="minRepairDaysReason" label="修复期不同于默认的依据">
            <Input />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="repairAcceptWorkingDays" label="受理时限（工作日）">
            <InputNumber min={1} max={60} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="repairDecideWorkingDays" label="办理时限（工作日）">
            <InputNumber min={1} max={60} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.List name="repairConditions">
        {(fields, { add, remove }) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {fields.map((field, i) => (
              <Row gutter={8} key={field.key} align="bottom">
                <Col xs={8}>
                  <Form.Item
                    name={[field.name, 'code']}
                    label={`修复条件 ${i + 1} 代码`}
                    rules={[{ required: true, message: '必填' }]}
                  >
                    <Input />
                  </Form.Item>
                </Col>
                <Col xs={12}>
                  <Form.Item
                    name={[field.name, 'text']}
                    label={`修复条件 ${i + 1} 内容`}
                    rules={[{ required: true, message: '必填' }]}
                  >
                    <Input />
                  </Form.Item>
                </Col>
                <Col xs={4}>
                  <Form.Item>
                    <Button onClick={() => remove(field.name)}>删除</Button>
                  </Form.Item>
                </Col>
              </Row>
            ))}
            <Button onClick={() => add({ code: '', text: '' })}>添加修复条件</Button>
          </Space>
        )}
      </Form.List>
      {/* beside the button that caused it: a long form keeps it in view */}
      <div style={{ marginTop: 16 }}>
        <ProblemAlert error={save.error} />
      </div>
      <Space>
        <Button type="primary" htmlType="submit" loading={save.busy}>
          {editing ? '保存修改' : '新建'}
        </Button>
        <Button onClick={onDone}>取消</Button>
      </Space>
    </Form>
  );
}

export function ListTypesPage() {
  const [drawer, setDrawer] = useState<{ editing?: ListType } | undefined>();
  const list = useCursorList<ListType>(['admin', 'list-types'], (cursor) =>
    unwrap<components['schemas']['ListTypePage']>(
      api.GET('/v1/list-types', { params: { query: { cursor, limit: 20 } } }),
    ),
  );
  return (
    <Card
      title="名单类型"
      extra={
        <Button type="primary" onClick={() => setDrawer({})}>
          新建名单类型
        </Button>
      }
    >
      <ProblemAlert error={list.error} />
      <Table<ListType>
        size="small"
        rowKey="code"
        dataSource={list.items}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 1100 }}
        columns={[
          { title: '代码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
          {
            title: '红黑',
            dataIndex: 'colour',
            render: (v: string) => (
              <Tag color={v === 'red' ? '#a8071a' : '#262626'}>{v === 'red' ? '红名单' : '黑名单'}</Tag>
            ),
          },
          { title: '认定部门', dataIndex: 'ownerDept' },
          { title: '信息类别', dataIndex: 'infoClass', render: (v: string) => INFO_CLASS_LABELS[v] ?? v },
          { title: '严重程度', dataIndex: 'severity', render: (v: string) => SEVERITY_LABELS[v] ?? v },
          {
            title: '公示期',
            render: (_, t) => (
              <Space size={4} wrap>
                <span>{t.defaultPeriodDays} 天</span>
                {t.openEndedAllowed && <Tag>可不定期</Tag>}
                {t.extension && (
                  <Tag>
                    可延长 {t.extension.minDays}–{t.extension.maxDays} 天 ×{t.extension.maxTimes}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: '陈述/修复',
            render: (_, t) =>
              `陈述 ${t.noticeWorkingDays} 个工作日；${t.repair.repairable ? `${t.repair.minRepairDays ?? 0} 天后可修复` : '不可修复'}`,
          },
          {
            title: '排除',
            render: (_, t) =>
              [
                t.excludedSubjects.includes('minors') ? '未成年人' : '',
                t.endsOnBlackListing ? '红黑互斥' : '',
              ]
                .filter(Boolean)
                .join('、') || '—',
          },
          {
            title: '操作',
            fixed: 'right',
            render: (_, t) => (
              <Button size="small" onClick={() => setDrawer({ editing: t })} aria-label={`编辑 ${t.code}`}>
                编辑
              </Button>
            ),
          },
        ]}
      />
      <LoadMore list={list} testId="list-types-more" />
      <Drawer
        title={drawer?.editing ? `编辑名单类型 ${drawer.editing.code}` : '新建名单类型'}
        open={!!drawer}
        width="min(760px, 100vw)"
        destroyOnClose
        onClose={() => setDrawer(undefined)}
      >
        {drawer?.editing && (
          <Alert
            type="info"
            showIcon
            role="note"
            style={{ marginBottom: 12 }}
            message="修改对此后新建的认定生效；已有条目的期限与时限不变。"
          />
        )}
        {drawer && <ListTypeForm editing={drawer.editing} onDone={() => setDrawer(undefined)} />}
      </Drawer>
    </Card>
  );
}
