import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Upload,
} from 'antd';
import { useState } from 'react';
import { api, ApiError, request, unwrap } from '../../api/client';
import { Confirmed, ProblemAlert } from '../../components/common';
import { DepartmentSelect, RequiredSelect } from '../../components/form-controls';
import { LoadMore } from '../../components/load-more';
import {
  basisAdvice,
  FINDING_LABELS,
  instrumentLine,
  InstrumentInput,
  KIND_LABELS,
  LegalInstrument,
  legalBasisProblems,
  LEGAL_BASIS_LEVELS,
  LEVEL_LABELS,
  MeasureFormValues,
  MeasureKind,
  MeasureMode,
  MODE_LABELS,
  MODES_FOR_KIND,
  toChangeMeasureBody,
} from '../../lib/legal-basis';
import { formatTime } from '../../lib/time';
import { Page, useCursorList } from '../../lib/use-cursor';
import { useMutationForm } from '../../lib/use-mutation-form';
import { SEVERITY_LABELS, SUBJECT_KIND_LABELS } from './list-types';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Memorandum {
  code: string;
  title: string;
  documentNo: string;
  listTypes: string[];
  colour: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  windowState?: string;
  measures: Measure[];
}

export interface Measure {
  code: string;
  version: number;
  memorandumCode: string;
  text: string;
  kind: MeasureKind;
  dept: string;
  legalBasis: string;
  legalBases: LegalInstrument[];
  minSeverity: string | null;
  conditions: { minAmount?: number; violationKinds?: string[] } | null;
  listTypes: string[];
  subjectKinds: string[];
  relatedRoles: string[] | null;
  actions: string[];
  mode: MeasureMode;
  feedbackWorkingDays: number;
  current: boolean;
  retiredAt: string | null;
}

interface ImportFinding {
  memorandumCode: string;
  measureCode: string;
  field?: string;
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

const WINDOW_LABELS: Record<string, string> = { pending: '未生效', active: '有效', expired: '已失效' };

/** The legal bases of a measure, one instrument a line, a memorandum-only basis flagged. */
export function LegalBases({ bases }: { bases: LegalInstrument[] }) {
  return (
    <Space direction="vertical" size={0}>
      {bases.map((b, i) => (
        <span key={i}>
          {b.level === 'memorandum' ? <Tag color="#ad4e00">备忘录</Tag> : null}
          {instrumentLine(b)}
        </span>
      ))}
    </Space>
  );
}

/** What the catalogue import answered: the measures refused (nothing loaded) or the findings of those loaded. */
function ImportReport({ findings, refused }: { findings: ImportFinding[]; refused: boolean }) {
  if (findings.length === 0)
    return (
      <Alert type="success" showIcon message="导入完成，未发现合法性问题" style={{ marginBottom: 12 }} />
    );
  return (
    <div data-testid="import-report" style={{ marginBottom: 12 }}>
      <Alert
        type={refused ? 'error' : 'warning'}
        showIcon
        message={
          refused
            ? `${findings.filter((f) => f.severity === 'error').length} 项措施不合法，整个目录未导入`
            : `已导入；${findings.length} 项措施仅有备忘录等依据，已列入合法性报告`
        }
        style={{ marginBottom: 8 }}
      />
      <Table<ImportFinding>
        size="small"
        rowKey={(f) => `${f.memorandumCode}-${f.measureCode}-${f.code}`}
        dataSource={findings}
        pagination={false}
        scroll={{ x: 800 }}
        columns={[
          { title: '备忘录', dataIndex: 'memorandumCode' },
          { title: '措施', dataIndex: 'measureCode' },
          {
            title: '结果',
            render: (_, f) =>
              f.severity === 'error' ? <Tag color="#a8071a">拒绝</Tag> : <Tag color="#ad4e00">警示</Tag>,
          },
          { title: '问题', render: (_, f) => FINDING_LABELS[f.code] ?? f.message },
          { title: '代码', dataIndex: 'code', render: (v: string) => <code>{v}</code> },
        ]}
      />
    </div>
  );
}

function MeasureForm({ measure, onDone }: { measure: Measure; onDone: () => void }) {
  const [form] = Form.useForm<MeasureFormValues>();
  const kind = Form.useWatch('kind', form) as MeasureKind | undefined;
  const mode = Form.useWatch('mode', form) as MeasureMode | undefined;
  const bases = Form.useWatch('legalBases', form) as InstrumentInput[] | undefined;
  const advice = basisAdvice(kind, mode, bases);
  const save = useMutationForm({
    submit: (v: MeasureFormValues) =>
      unwrap<Measure>(
        api.PUT('/v1/measures/{code}', {
          params: { path: { code: measure.code } },
          body: toChangeMeasureBody(v) as never,
        }),
      ),
    success: (m) => `措施 ${m.code} 已保存为第 ${m.version} 版`,
    invalidate: [
      ['admin', 'measures'],
      ['admin', 'memoranda'],
      ['measure-versions', measure.code],
      ['legality'],
    ],
    onSuccess: onDone,
  });
  const submit = async (v: MeasureFormValues) => {
    const problems = legalBasisProblems(v.legalBases);
    if (problems.length > 0) {
      form.setFields(
        problems.map((p) => {
          const m = /^legalBases\[(\d+)\]\.(\w+)$/.exec(p.field);
          const name = m ? ['legalBases', Number(m[1]), m[2]] : ['legalBases'];
          return { name: name as never, errors: [p.message] };
        }),
      );
      save.setError(
        new ApiError({
          status: 400,
          code: 'FORM.LEGAL_BASIS',
          detail: problems.map((p) => p.message).join('；'),
        }),
      );
      return;
    }
    await save.run(v);
  };
  return (
    <Form<MeasureFormValues>
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{
        text: measure.text,
        kind: measure.kind,
        dept: measure.dept,
        mode: measure.mode,
        subjectKinds: measure.subjectKinds,
        relatedRoles: measure.relatedRoles ?? [],
        actions: measure.actions,
        feedbackWorkingDays: measure.feedbackWorkingDays,
        minSeverity: measure.minSeverity ?? undefined,
        minAmount: measure.conditions?.minAmount,
        violationKinds: measure.conditions?.violationKinds ?? [],
        legalBases: measure.legalBases.map((b) => ({ ...b })),
      }}
      onValuesChange={(changed) => {
        // a mode the new kind does not take is cleared rather than sent
        if (changed.kind && !MODES_FOR_KIND[changed.kind as MeasureKind].includes(form.getFieldValue('mode')))
          form.setFieldValue('mode', undefined);
      }}
    >
      <Form.Item name="text" label="措施内容" rules={[{ required: true, message: '请填写措施内容' }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={12} md={8}>
          <Form.Item name="kind" label="措施类别" rules={[{ required: true }]}>
            <RequiredSelect
              options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="mode" label="实施方式" rules={[{ required: true, message: '请选择实施方式' }]}>
            <RequiredSelect
              options={(kind ? MODES_FOR_KIND[kind] : []).map((value) => ({
                value,
                label: MODE_LABELS[value],
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="dept" label="实施部门" rules={[{ required: true }]}>
            <DepartmentSelect />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="subjectKinds" label="主体类型" rules={[{ required: true, message: '至少一种' }]}>
            <RequiredSelect
              mode="multiple"
              options={Object.entries(SUBJECT_KIND_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="relatedRoles" label="关联人员（代替主体本身）">
            <Select
              mode="multiple"
              options={[
                { value: 'legal_representative', label: '法定代表人' },
                { value: 'principal', label: '主要负责人' },
              ]}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="actions" label="适用事项" rules={[{ required: true, message: '至少一项' }]}>
            <RequiredSelect mode="tags" tokenSeparators={[',', '，', ' ']} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="feedbackWorkingDays" label="反馈时限（工作日）" rules={[{ required: true }]}>
            <InputNumber min={0} max={60} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="minSeverity" label="最低严重程度">
            <Select
              allowClear
              options={Object.entries(SEVERITY_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={12}>
          <Form.Item name="minAmount" label="金额下限（元）">
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={12}>
          <Form.Item name="violationKinds" label="违法类型">
            <Select mode="tags" tokenSeparators={[',', '，', ' ']} />
          </Form.Item>
        </Col>
      </Row>
      <Divider orientation="left" plain>
        法律依据
      </Divider>
      {advice === 'block-needs-law' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="禁止类惩戒措施须有法律、行政法规、司法解释、党中央国务院政策文件或地方性法规依据；仅凭备忘录或部门规章，保存将被拒绝。"
        />
      )}
      {advice === 'memorandum-only' && (
        <Alert
          type="info"
          showIcon
          role="note"
          style={{ marginBottom: 12 }}
          message="此惩戒措施仅有备忘录或部门规章依据，将列入合法性报告。"
        />
      )}
      <Form.List name="legalBases">
        {(fields, { add, remove }) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {fields.map((field, i) => (
              <Card
                size="small"
                key={field.key}
                title={`依据 ${i + 1}`}
                extra={
                  <Button size="small" onClick={() => remove(field.name)} disabled={fields.length === 1}>
                    删除
                  </Button>
                }
              >
                <Row gutter={8}>
                  <Col xs={24} md={8}>
                    <Form.Item name={[field.name, 'level']} label={`依据 ${i + 1} 效力层级`}>
                      <Select
                        options={LEGAL_BASIS_LEVELS.map((value) => ({ value, label: LEVEL_LABELS[value] }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={16}>
                    <Form.Item name={[field.name, 'title']} label={`依据 ${i + 1} 文件名称`}>
                      <Input placeholder="《中华人民共和国政府采购法》" />
                    </Form.Item>
                  </Col>
                  <Col xs={12}>
                    <Form.Item name={[field.name, 'article']} label={`依据 ${i + 1} 条款`}>
                      <Input placeholder="第二十二条" />
                    </Form.Item>
                  </Col>
                  <Col xs={12}>
                    <Form.Item name={[field.name, 'basicListItem']} label={`依据 ${i + 1} 基础清单条目`}>
                      <Input placeholder="1.5" />
                    </Form.Item>
                  </Col>
                </Row>
              </Card>
            ))}
            <Button onClick={() => add({ level: 'law', title: '' })}>添加依据</Button>
          </Space>
        )}
      </Form.List>
      {/* beside the button that caused it: a long form keeps it in view */}
      <div style={{ marginTop: 16 }}>
        <ProblemAlert error={save.error} />
      </div>
      <Space>
        <Button type="primary" htmlType="submit" loading={save.busy}>
          保存为新版本
        </Button>
        <Button onClick={onDone}>取消</Button>
      </Space>
    </Form>
  );
}

function Versions({ code }: { code: string }) {
  const versions = useQuery({
    queryKey: ['measure-versions', code],
    queryFn: () =>
      unwrap<Page<Measure>>(api.GET('/v1/measures/{code}/versions', { params: { path: { code } } })),
  });
  return (
    <>
      <ProblemAlert error={versions.error} />
      <Table<Measure>
        size="small"
        rowKey="version"
        dataSource={versions.data?.items}
        loading={versions.isLoading}
        pagination={false}
        scroll={{ x: 700 }}
        columns={[
          { title: '版本', dataIndex: 'version' },
          { title: '现行', render: (_, m) => (m.current ? <Tag color="#135200">现行</Tag> : '历史') },
          { title: '方式', render: (_, m) => MODE_LABELS[m.mode] ?? m.mode },
          { title: '依据', render: (_, m) => <LegalBases bases={m.legalBases} /> },
          { title: '停用', dataIndex: 'retiredAt', render: (v: string | null) => (v ? formatTime(v) : '—') },
        ]}
      />
    </>
  );
}

export function MemorandaPage() {
  const [report, setReport] = useState<{ findings: ImportFinding[]; refused: boolean }>();
  const [editing, setEditing] = useState<Measure>();
  const [history, setHistory] = useState<string>();
  const memoranda = useCursorList<Memorandum>(['admin', 'memoranda'], (cursor) =>
    unwrap<Page<Memorandum>>(api.GET('/v1/memoranda', { params: { query: { cursor, limit: 20 } } })),
  );
  const measures = useCursorList<Measure>(['admin', 'measures'], (cursor) =>
    unwrap<Page<Measure>>(api.GET('/v1/measures', { params: { query: { cursor, limit: 20 } } })),
  );
  const importing = useMutationForm({
    submit: async (file: File) => {
      setReport(undefined);
      const json = file.name.toLowerCase().endsWith('.json');
      try {
        return await request<{ items: unknown[]; legality: ImportFinding[] }>(
          'POST',
          '/v1/memoranda/import',
          json ? JSON.parse(await file.text()) : file,
          json ? {} : { 'content-type': XLSX },
        );
      } catch (err) {
        const problem =
          err instanceof ApiError
            ? (err.problem as ApiError['problem'] & { report?: ImportFinding[] })
            : undefined;
        if (problem?.report) setReport({ findings: problem.report, refused: true });
        throw err;
      }
    },
    success: (r) => `目录已导入：${r.items.length} 份备忘录`,
    invalidate: [['admin', 'memoranda'], ['admin', 'measures'], ['legality']],
    onSuccess: (r) => setReport({ findings: r.legality, refused: false }),
  });
  const retire = useMutationForm({
    submit: (code: string) =>
      unwrap(
        api.POST('/v1/measures/{code}/retire', {
          params: { path: { code } },
          body: { reason: '控制台停用' },
        }),
      ),
    success: '措施已停用，在库条目将重新筛查',
    invalidate: [['admin', 'measures'], ['admin', 'memoranda'], ['legality']],
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title="合作备忘录"
        extra={
          <Upload
            accept=".xlsx,.json"
            showUploadList={false}
            beforeUpload={(file) => {
              void importing.run(file);
              return false;
            }}
          >
            <Button loading={importing.busy}>导入措施目录（XLSX / JSON）</Button>
          </Upload>
        }
      >
        <ProblemAlert error={importing.error ?? memoranda.error} />
        {report && <ImportReport findings={report.findings} refused={report.refused} />}
        <Table<Memorandum>
          size="small"
          rowKey="code"
          dataSource={memoranda.items}
          loading={memoranda.isLoading}
          pagination={false}
          scroll={{ x: 900 }}
          columns={[
            { title: '代码', dataIndex: 'code' },
            { title: '名称', dataIndex: 'title' },
            { title: '文号', dataIndex: 'documentNo' },
            { title: '名单类型', render: (_, m) => m.listTypes.join('、') },
            {
              title: '有效期',
              render: (_, m) =>
                `${m.effectiveFrom ?? '—'} 至 ${m.effectiveTo ?? '长期'}${m.windowState ? `（${WINDOW_LABELS[m.windowState] ?? m.windowState}）` : ''}`,
            },
            { title: '措施数', render: (_, m) => m.measures.length },
          ]}
        />
        <LoadMore list={memoranda} testId="memoranda-more" />
      </Card>
      <Card title="措施">
        <ProblemAlert error={retire.error ?? measures.error} />
        <Table<Measure>
          size="small"
          rowKey="code"
          dataSource={measures.items}
          loading={measures.isLoading}
          pagination={false}
          scroll={{ x: 1300 }}
          columns={[
            { title: '代码', dataIndex: 'code', width: 190 },
            { title: '备忘录', dataIndex: 'memorandumCode', width: 170 },
            { title: '实施部门', dataIndex: 'dept', width: 100 },
            { title: '内容', dataIndex: 'text', width: 240 },
            { title: '类别', dataIndex: 'kind', width: 60, render: (v: MeasureKind) => KIND_LABELS[v] ?? v },
            { title: '方式', dataIndex: 'mode', width: 110, render: (v: MeasureMode) => MODE_LABELS[v] ?? v },
            { title: '法律依据', width: 320, render: (_, m) => <LegalBases bases={m.legalBases} /> },
            { title: '版本', dataIndex: 'version', width: 60 },
            {
              title: '操作',
              fixed: 'right',
              width: 200,
              render: (_, m) => (
                <Space size={4}>
                  <Button size="small" onClick={() => setEditing(m)} aria-label={`编辑措施 ${m.code}`}>
                    编辑
                  </Button>
                  <Button
                    size="small"
                    onClick={() => setHistory(m.code)}
                    aria-label={`措施 ${m.code} 的版本`}
                  >
                    版本
                  </Button>
                  <Confirmed
                    title={`停用措施 ${m.code}？已下发的任务将解除，在库条目重新筛查。`}
                    onConfirm={() => retire.run(m.code)}
                  >
                    停用
                  </Confirmed>
                </Space>
              ),
            },
          ]}
        />
        <LoadMore list={measures} testId="measures-more" />
      </Card>
      <Drawer
        title={editing ? `编辑措施 ${editing.code}（现为第 ${editing.version} 版）` : ''}
        open={!!editing}
        width="min(760px, 100vw)"
        destroyOnClose
        onClose={() => setEditing(undefined)}
      >
        {editing && <MeasureForm measure={editing} onDone={() => setEditing(undefined)} />}
      </Drawer>
      <Drawer
        title={history ? `措施 ${history} 的版本` : ''}
        open={!!history}
        width="min(760px, 100vw)"
        destroyOnClose
        onClose={() => setHistory(undefined)}
      >
        {history && <Versions code={history} />}
      </Drawer>
    </Space>
  );
}
