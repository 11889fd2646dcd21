import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Select, Space, Statistic, Table, Tag, Row, Col } from 'antd';
import { useMemo, useState } from 'react';
import { request } from '../../api/client';
import { ProblemAlert } from '../../components/common';
import { LoadMore } from '../../components/load-more';
import {
  FINDING_LABELS,
  instrumentLine,
  KIND_LABELS,
  LegalInstrument,
  MODE_LABELS,
} from '../../lib/legal-basis';
import { formatTime } from '../../lib/time';
import { Page, useCursorList } from '../../lib/use-cursor';

const qs = (params: Record<string, string | number | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

/** 终止公示的原因 (the feed's withdrawal reasons). */
export const WITHDRAWAL_LABELS: Record<string, string> = {
  ended: '期满移出',
  repaired: '信用修复',
  revoked: '撤销',
  corrected: '更正',
};

interface FeedChange {
  position: number | null;
  id: string;
  kind: 'published' | 'withdrawn';
  reason: string | null;
  entryId: string;
  time: string;
  data: {
    revision?: number;
    listType?: { code: string; name: string; colour?: string };
    ownerDept?: { code: string; name: string };
    subject?: { id: string; name: string; masked?: boolean };
    decision?: { documentNo: string; date: string };
  };
}

interface Unacknowledged {
  dept: string;
  position: number;
  entryId: string;
  reason: string;
  withdrawnAt: string;
  inFeedSince: string;
}

/** 公示动态: what was published and withdrawn, and what the external platforms have not taken. */
export function PublicationFeedPage() {
  const [kind, setKind] = useState<string>();
  const feed = useCursorList<FeedChange>(['publication-changes', kind], (cursor) =>
    request('GET', `/v1/publication-feed/changes?${qs({ kind, cursor, limit: 50 })}`),
  );
  const gaps = useQuery({
    queryKey: ['publication-unacknowledged'],
    queryFn: () =>
      request<Page<Unacknowledged> & { graceSeconds: number }>('GET', '/v1/publication-feed/unacknowledged'),
  });
  const byPlatform = useMemo(() => {
    const counts = new Map<string, number>();
    for (const g of gaps.data?.items ?? []) counts.set(g.dept, (counts.get(g.dept) ?? 0) + 1);
    return [...counts.entries()];
  }, [gaps.data]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card title="公示动态（公示与终止公示）">
        <ProblemAlert error={feed.error} />
        <Select
          aria-label="变动类型"
          allowClear
          placeholder="全部变动"
          style={{ width: 200, marginBottom: 12 }}
          onChange={setKind}
          options={[
            { value: 'published', label: '公示' },
            { value: 'withdrawn', label: '终止公示' },
          ]}
        />
        <Table<FeedChange>
          size="small"
          rowKey="id"
          dataSource={feed.items}
          loading={feed.isLoading}
          pagination={false}
          scroll={{ x: 1000 }}
          columns={[
            { title: '时间', dataIndex: 'time', width: 170, render: (v: string) => formatTime(v) },
            {
              title: '变动',
              width: 110,
              render: (_, c) =>
                c.kind === 'published' ? (
                  <Tag color="#a8071a">公示</Tag>
                ) : (
                  <Tag color="#531dab">终止公示</Tag>
                ),
            },
            {
              title: '原因',
              width: 100,
              render: (_, c) => (c.reason ? (WITHDRAWAL_LABELS[c.reason] ?? c.reason) : '—'),
            },
            { title: '主体', render: (_, c) => c.data.subject?.name ?? '—' },
            { title: '标识', render: (_, c) => <code>{c.data.subject?.id ?? '—'}</code> },
            { title: '名单', render: (_, c) => c.data.listType?.name ?? c.data.listType?.code ?? '—' },
            { title: '认定部门', render: (_, c) => c.data.ownerDept?.name ?? '—' },
            { title: '文号', render: (_, c) => c.data.decision?.documentNo ?? '—' },
            {
              title: '序号',
              width: 80,
              render: (_, c) => (c.position === null ? '排序中' : c.position),
            },
          ]}
        />
        <LoadMore list={feed} testId="feed-more" />
      </Card>
      <Card title="外部平台未确认的终止公示（对账）">
        <ProblemAlert error={gaps.error} />
        {gaps.data && (
          <Alert
            type={gaps.data.items.length ? 'warning' : 'success'}
            showIcon
            style={{ marginBottom: 12 }}
            message={
              gaps.data.items.length
                ? `${gaps.data.items.length} 条终止公示超过 ${gaps.data.graceSeconds} 秒未被外部平台确认，平台可能仍在展示已移出的信息`
                : `外部平台已确认全部终止公示（宽限 ${gaps.data.graceSeconds} 秒）`
            }
          />
        )}
        {byPlatform.length > 0 && (
          <Row gutter={12} style={{ marginBottom: 12 }}>
            {byPlatform.map(([dept, n]) => (
              <Col key={dept} xs={12} md={6}>
                <Card size="small">
                  <Statistic title={dept} value={n} suffix="条未确认" />
                </Card>
              </Col>
            ))}
          </Row>
        )}
        <Table<Unacknowledged>
          size="small"
          rowKey={(g) => `${g.dept}-${g.position}`}
          dataSource={gaps.data?.items}
          pagination={{ pageSize: 20 }}
          scroll={{ x: 800 }}
          columns={[
            { title: '外部平台', dataIndex: 'dept' },
            { title: '序号', dataIndex: 'position' },
            { title: '条目', dataIndex: 'entryId', render: (v: string) => <code>{v.slice(0, 8)}</code> },
            { title: '原因', dataIndex: 'reason', render: (v: string) => WITHDRAWAL_LABELS[v] ?? v },
            { title: '终止公示时间', dataIndex: 'withdrawnAt', render: (v: string) => formatTime(v) },
            { title: '可拉取自', dataIndex: 'inFeedSince', render: (v: string) => formatTime(v) },
          ]}
        />
      </Card>
    </Space>
  );
}

interface MeasureRow {
  code: string;
  version: number;
  memorandumCode: string;
  dept: string;
  text: string;
  kind: string;
  mode: string;
  legalBases: LegalInstrument[];
}
interface LegalityItem {
  measureCode: string;
  findings: { code: string; severity: 'error' | 'warning'; message: string }[];
}
interface LegalityReport {
  measures: number;
  lawful: number;
  blockNeedsLaw: number;
  memorandumOnly: number;
  kindNotForColour: number;
  modeNotForKind: number;
  items: LegalityItem[];
}

/** 措施合法性报告: every measure in force with its bases, those resting on a memorandum only flagged. */
export function LegalityReportPage() {
  const [only, setOnly] = useState<string>();
  const report = useQuery({
    queryKey: ['legality', 'report'],
    queryFn: () => request<LegalityReport>('GET', '/v1/measures/legality-report'),
  });
  const measures = useCursorList<MeasureRow>(['legality', 'measures'], (cursor) =>
    request('GET', `/v1/measures?${qs({ cursor, limit: 100 })}`),
  );
  const findingsOf = useMemo(
    () => new Map((report.data?.items ?? []).map((i) => [i.measureCode, i.findings])),
    [report.data],
  );
  const rows = measures.items.filter(
    (m) => !only || (findingsOf.get(m.code) ?? []).some((f) => f.code === only),
  );
  const r = report.data;
  return (
    <Card title="措施合法性报告">
      <ProblemAlert error={report.error ?? measures.error} />
      {r && (
        <Row gutter={12} style={{ marginBottom: 12 }}>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title="现行措施" value={r.measures} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title="未违反规则" value={r.lawful} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic
                title="仅有备忘录依据"
                value={r.memorandumOnly}
                valueRender={(n) => <span data-testid="memorandum-only-count">{n}</span>}
              />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title="禁止类缺法律依据" value={r.blockNeedsLaw} />
            </Card>
          </Col>
        </Row>
      )}
      <Select
        aria-label="只看问题"
        allowClear
        placeholder="全部措施"
        style={{ width: 260, marginBottom: 12 }}
        onChange={setOnly}
        options={Object.entries(FINDING_LABELS).map(([value, label]) => ({ value, label }))}
      />
      <Table<MeasureRow>
        size="small"
        rowKey="code"
        dataSource={rows}
        loading={measures.isLoading}
        pagination={false}
        scroll={{ x: 1200 }}
        rowClassName={(m) => ((findingsOf.get(m.code) ?? []).length ? 'legality-flagged' : '')}
        columns={[
          { title: '措施', dataIndex: 'code', width: 200 },
          { title: '备忘录', dataIndex: 'memorandumCode', width: 170 },
          { title: '实施部门', dataIndex: 'dept', width: 100 },
          { title: '内容', dataIndex: 'text', width: 220 },
          {
            title: '类别',
            dataIndex: 'kind',
            width: 60,
            render: (v: string) => KIND_LABELS[v as 'punishment'] ?? v,
          },
          {
            title: '方式',
            dataIndex: 'mode',
            width: 110,
            render: (v: string) => MODE_LABELS[v as 'block'] ?? v,
          },
          {
            title: '法律依据',
            width: 320,
            render: (_, m) => (
              <Space direction="vertical" size={0}>
                {m.legalBases.map((b, i) => (
                  <span key={i}>{instrumentLine(b)}</span>
                ))}
              </Space>
            ),
          },
          {
            title: '合法性',
            width: 220,
            render: (_, m) => {
              const findings = findingsOf.get(m.code) ?? [];
              if (findings.length === 0) return <Tag color="#135200">合规</Tag>;
              return (
                <Space direction="vertical" size={2}>
                  {findings.map((f) => (
                    <Tag
                      key={f.code}
                      color={f.severity === 'error' ? '#a8071a' : '#ad4e00'}
                      data-finding={f.code}
                      title={f.message}
                    >
                      {FINDING_LABELS[f.code] ?? f.code}
                    </Tag>
                  ))}
                </Space>
              );
            },
          },
        ]}
      />
      <LoadMore list={measures} testId="legality-more" />
    </Card>
  );
}
