import { DomainError } from '@credit/platform';

/** 陈述申辩: received during the statement period, answered once by the owning department. */
export const STATEMENT_STATUSES = ['received', 'accepted', 'not_accepted'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

export const STATEMENT_ANSWERS = ['accept', 'not_accept'] as const;
export type StatementAnswer = (typeof STATEMENT_ANSWERS)[number];

export const STATEMENT_TRANSITIONS: Readonly<
  Record<StatementStatus, Readonly<Partial<Record<StatementAnswer, StatementStatus>>>>
> = {
  received: { accept: 'accepted', not_accept: 'not_accepted' },
  accepted: {},
  not_accepted: {},
};

export function answerStatementStatus(from: StatementStatus, answer: StatementAnswer): StatementStatus {
  const to = STATEMENT_TRANSITIONS[from][answer];
  if (!to) {
    throw new DomainError(
      'STATEMENT.ALREADY_ANSWERED',
      409,
      `the statement is already ${from} (陈述申辩已答复)`,
      undefined,
      { currentStatus: from },
    );
  }
  return to;
}
