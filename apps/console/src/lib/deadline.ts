import { dayjs, ZONE } from './time';

export type DeadlineState = 'none' | 'done' | 'overdue' | 'today' | 'soon' | 'ok';

/**
 * How a working-day deadline stands (the API computed the date from the working-day calendar): past it
 * and not done → overdue (red); falls today (Beijing) → today (orange); within `soonDays` calendar days
 * → soon (gold); otherwise ok. A task already done is never highlighted.
 */
export function deadlineState(
  deadline: string | null | undefined,
  done: boolean,
  now: Date = new Date(),
  soonDays = 3,
): DeadlineState {
  if (!deadline) return 'none';
  if (done) return 'done';
  const due = dayjs(deadline).tz(ZONE);
  const today = dayjs(now).tz(ZONE);
  if (due.valueOf() < now.getTime()) return 'overdue';
  if (due.format('YYYY-MM-DD') === today.format('YYYY-MM-DD')) return 'today';
  if (due.diff(today, 'hour') <= soonDays * 24) return 'soon';
  return 'ok';
}

export const DEADLINE_LOOK: Record<DeadlineState, { color?: string; label: string }> = {
  none: { label: '无期限' },
  done: { color: 'default', label: '已完成' },
  // solid colours under white text: readable (contrast ≥ 4.5:1) and told apart by their words too
  overdue: { color: '#a8071a', label: '已逾期' },
  today: { color: '#ad4e00', label: '今日到期' },
  soon: { color: '#7c4a00', label: '即将到期' },
  ok: { color: '#135200', label: '期限内' },
};
