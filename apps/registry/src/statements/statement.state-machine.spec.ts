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

  const illegal = STATEMENT_STATUSES.flatMap((from) =>
    STATEMENT_ANSWERS.filter((a) => !STATEMENT_TRANSITIONS[from][a]).map((a) => [from, a] as const),
  );

  it.each(illegal)('refuses to answer a %s statement with %s (409 STATEMENT.ALREADY_ANSWERED)', (from, a) => {
    expect.assertions(2);
    try {
      answerStatementStatus(from, a);
    } catch (err) {
      expect((err as DomainError).code).toBe('STATEMENT.ALREADY_ANSWERED');
      expect((err as DomainError).status).toBe(409);
    }
  });
});
