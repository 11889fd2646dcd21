import { Card, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { ProblemAlert } from '../../components/common';
import { emptyText } from '../../components/fields';
import { formatDate, formatTime } from '../../lib/time';
import { useCursorList } from '../../lib/use-cursor';
import { MoreButton } from './views';

/** One commitment of GET /v1/me/commitments (registry's toCommitmentView). */
interface CommitmentRow {
  id: string;
  matter: string;
  text: string;
  madeOn: string | null;
  entryId: string | null;
  status: 'open' | 'kept' | 'broken';
  recordedAt: string;
  recordedBy: { dept: string; role: string };
  settledAt: string | null;
  settledByDept: string | null;
  settlementNote: string | null;
  newEntryId: string | null;
}

export const MATTER_LABELS: Record<string, string> = {
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

/** 信用承诺: what the subject committed to, to which department, and whether it was found kept or broken. */
export function CommitmentsPage() {
  const list = useCursorList<CommitmentRow>(['my-commitments'], (cursor) =>
    unwrap(api.GET('/v1/me/commitments', { params: { query: { cursor, limit: 20 } as never } })),
  );
  return (
    <Card title="我的信用承诺">
      <Typography.Paragraph type="secondary">
        本主体作出的信用承诺及其履行情况。承诺未履行的，作出认定的部门可以依法将其列入失信名单。
      </Typography.Paragraph>
      <ProblemAlert error={list.error} />
      <div data-testid="commitments">
        <Table<CommitmentRow>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 800 }}
          locale={{ emptyText: emptyText('暂无信用承诺') }}
          columns={[
            { title: '事项', render: (_, c) => MATTER_LABELS[c.matter] ?? c.matter },
            { title: '承诺内容', dataIndex: 'text' },
            { title: '承诺日期', render: (_, c) => formatDate(c.madeOn ?? c.recordedAt) },
            { title: '受理部门', render: (_, c) => c.recordedBy.dept },
            {
              title: '履行情况',
              render: (_, c) => <Tag color={STATUS[c.status].color}>{STATUS[c.status].label}</Tag>,
            },
            {
              title: '认定',
              render: (_, c) =>
                c.settledAt
                  ? `${c.settledByDept ?? ''} ${formatTime(c.settledAt)}${c.settlementNote ? `：${c.settlementNote}` : ''}`
                  : '—',
            },
          ]}
        />
      </div>
      <MoreButton list={list} show />
    </Card>
  );
}
