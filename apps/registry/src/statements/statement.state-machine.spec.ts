import { DomainError } from '@credit/platform';
import {
  answerStatementStatus,
  STATEMENT_ANSWERS,
  STATEMENT_STATUSES,
  STATEMENT_TRANSITIONS,
} from './statement.state-machine';

describe('statement state machine', () => {
  it('answers a received statement once, either way', () => {
    expect(answerStatementStatus('received', 'accept')).toBe('accepted');
    expect(answerStatementStatus('received', 'not_accept')).toBe('not_accepted');
  });

  it('closes a statement still unanswered when its entry ends', () => {
    expect(answerStatementStatus('received', 'close')).toBe('closed_entry_ended');
  });

  const illegal = STATEMENT_STATUSES.flatMap((from) =>
    STATEMENT_ANSWERS.filter((a) => !STATEMENT_TRANSITIONS[from][a]).map((a) => [from, a] as const),
  );

  it('has every other pair as an illegal transition', () => {
    expect(illegal).toHaveLength(STATEMENT_STATUSES.length * STATEMENT_ANSWERS.length - 3);
  });

  it.each(illegal)('refuses to %s a statement with %s (409, stable code)', (from, a) => {
    expect.assertions(2);
    try {
      answerStatementStatus(from, a);
    } catch (err) {
      expect((err as DomainError).code).toBe(
        from === 'closed_entry_ended' ? 'STATEMENT.CLOSED' : 'STATEMENT.ALREADY_ANSWERED',
      );
      expect((err as DomainError).status).toBe(409);
    }
  });
});
