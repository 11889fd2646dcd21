/**
 * A memorandum applies only within its effective dates (decision 0031). Its window is `pending` before
 * its first day, `active` from it through its last day (inclusive, China Standard Time), `expired` after.
 * Moving between them issues what it says or lifts what it issued — a table, nothing else.
 */
export const WINDOW_STATES = ['pending', 'active', 'expired'] as const;
export type WindowState = (typeof WINDOW_STATES)[number];

export type WindowAction = 'issue' | 'lift' | 'none';

const TRANSITIONS: Record<WindowState, Record<WindowState, WindowAction>> = {
  pending: { pending: 'none', active: 'issue', expired: 'none' },
  active: { pending: 'lift', active: 'none', expired: 'lift' },
  expired: { pending: 'none', active: 'issue', expired: 'none' },
};

export function windowAction(from: WindowState, to: WindowState): WindowAction {
  return TRANSITIONS[from][to];
}

/** The calendar day in China (UTC+8) of an instant, as YYYY-MM-DD. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Where a window stands on the day of `at`. */
export function windowStateAt(
  window: { effectiveFrom: string | null; effectiveTo: string | null },
  at: Date,
): WindowState {
  const day = chinaDay(at);
  if (window.effectiveFrom && day < window.effectiveFrom) return 'pending';
  if (window.effectiveTo && day > window.effectiveTo) return 'expired';
  return 'active';
}
