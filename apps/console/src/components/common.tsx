import { Alert, Button, Popconfirm, Space, Tag } from 'antd';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { DEADLINE_LOOK, deadlineState } from '../lib/deadline';
import { formatTime } from '../lib/time';

/** An error as the person needs it: the problem's message, its code and the correlation id. */
export function ProblemAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  const message = problem?.detail ?? (error as Error).message ?? String(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={message}
      description={
        problem ? (
          <Space direction="vertical" size={0}>
            <span>
              错误代码：<code data-testid="problem-code">{problem.code ?? `HTTP ${problem.status}`}</code>
              {problem.correlationId ? `（关联编号 ${problem.correlationId}）` : ''}
            </span>
            {problem.errors?.map((e) => (
              <span key={`${e.field}-${e.code}`}>
                {e.field}：{e.message}
              </span>
            ))}
          </Space>
        ) : undefined
      }
      style={{ marginBottom: 12 }}
    />
  );
}

/** A deadline with its highlight: red overdue, orange today, gold within three days. */
export function DeadlineTag({
  deadline,
  done,
  now,
}: {
  deadline?: string | null;
  done: boolean;
  now?: Date;
}) {
  const state = deadlineState(deadline, done, now);
  if (state === 'none') return <span>—</span>;
  const look = DEADLINE_LOOK[state];
  return (
    <Space size={4}>
      <span>{formatTime(deadline)}</span>
      <Tag color={look.color} data-deadline={state}>
        {look.label}
      </Tag>
    </Space>
  );
}

/** A destructive action asks first. */
export function Confirmed({
  title,
  onConfirm,
  children,
  danger = true,
  disabled,
}: {
  title: string;
  onConfirm: () => Promise<unknown> | void;
  children: ReactNode;
  danger?: boolean;
  disabled?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Popconfirm
      title={title}
      okText="确定"
      cancelText="取消"
      onConfirm={async () => {
        setBusy(true);
        try {
          await onConfirm();
        } finally {
          setBusy(false);
        }
      }}
    >
      <Button danger={danger} loading={busy} disabled={disabled}>
        {children}
      </Button>
    </Popconfirm>
  );
}

export const STATUS_LABELS: Record<string, string> = {
  draft: '草稿',
  noticed: '已告知',
  published: '已公示',
  ended: '已移出',
  issued: '已下发',
  acknowledged: '已签收',
  enforced: '已实施',
  not_applicable: '不适用',
  lifted: '已解除',
  lift_confirmed: '已确认解除',
  suspended: '已暂停',
  running: '进行中',
  succeeded: '已完成',
  completed: '已完成',
  failed: '失败',
};

export function StatusTag({ status }: { status: string }) {
  const color: Record<string, string> = {
    draft: 'default',
    noticed: '#0958d9',
    published: '#a8071a',
    ended: 'default',
    issued: '#ad4e00',
    acknowledged: '#0958d9',
    enforced: '#135200',
    lifted: '#531dab',
  };
  return <Tag color={color[status]}>{STATUS_LABELS[status] ?? status}</Tag>;
}
