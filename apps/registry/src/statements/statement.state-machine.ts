import { DomainError } from '@credit/platform';
import { StatementErrors } from './statement.errors';

/**
 * 陈述申辩: received during the statement period, answered once by the owning department; one still
 * unanswered when its entry ends (another statement's acceptance, the owner's end) is closed with it.
 */
export const STATEMENT_STATUSES = ['received', 'accepted', 'not_accepted', 'closed_entry_ended'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

export const STATEMENT_ANSWERS = ['accept', 'not_accept', 'close'] as const;
export type StatementAnswer = (typeof STATEMENT_ANSWERS)[number];

export const STATEMENT_TRANSITIONS: Readonly<
  Record<StatementStatus, Readonly<Partial<Record<StatementAnswer, StatementStatus>>>>
> = {
  received: { accept: 'accepted', not_accept: 'not_accepted', close: 'closed_entry_ended' },
  accepted: {},
  not_accepted: {},
  closed_entry_ended: {},
};

export function answerStatementStatus(from: StatementStatus, answer: StatementAnswer): StatementStatus {
  const to = STATEMENT_TRANSITIONS[from][answer];
  if (to) return to;
  if (from === 'closed_entry_ended') {
    throw new DomainError({
      error: StatementErrors.CLOSED,
      detail:
        'the statement was closed when its entry ended: there is nothing left to answer (名单已终止，陈述申辩已终结)',
      extra: { currentStatus: from },
    });
  }
  throw new DomainError({
    error: StatementErrors.ALREADY_ANSWERED,
    detail: `the statement is already ${from} (陈述申辩已答复)`,
    extra: { currentStatus: from },
  });
}
