import { DomainError } from '@credit/platform';
import { CaseErrors } from './case.errors';

/**
 * 典型案例: a department nominates a case (submitted); the credit office takes it up (screening) and
 * accepts or rejects it with a reason (筛选审定); an accepted case may be published (公示) and a published
 * one withdrawn, then published again. Rejected is final: a better case is nominated anew.
 */
export const CASE_STATUSES = [
  'submitted',
  'screening',
  'accepted',
  'rejected',
  'published',
  'withdrawn',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = ['screen', 'accept', 'reject', 'publish', 'withdraw'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const CASE_TRANSITIONS: Readonly<
  Record<CaseStatus, Readonly<Partial<Record<CaseAction, CaseStatus>>>>
> = {
  submitted: { screen: 'screening' },
  screening: { accept: 'accepted', reject: 'rejected' },
  accepted: { publish: 'published' },
  rejected: {},
  published: { withdraw: 'withdrawn' },
  withdrawn: { publish: 'published' },
};

/** Statuses of a case the credit office accepted: what the province receives. */
export const ACCEPTED_STATUSES: readonly CaseStatus[] = ['accepted', 'published', 'withdrawn'];

export function transitionCase(from: CaseStatus, action: CaseAction): CaseStatus {
  const to = CASE_TRANSITIONS[from][action];
  if (!to) {
    throw new DomainError({
      error: CaseErrors.ILLEGAL_TRANSITION,
      detail: `a ${from} case cannot be ${PAST[action]} (典型案例状态不允许此操作)`,
      extra: { currentStatus: from, action },
    });
  }
  return to;
}

const PAST: Record<CaseAction, string> = {
  screen: 'taken up for screening',
  accept: 'accepted',
  reject: 'rejected',
  publish: 'published',
  withdraw: 'withdrawn',
};
