import { DomainError } from '@credit/platform';
import {
  CASE_ACTIONS,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  CaseAction,
  CaseStatus,
  transitionCase,
} from './typical-case.state-machine';

describe('typical case state machine', () => {
  it.each([
    ['submitted', 'screen', 'screening'],
    ['screening', 'accept', 'accepted'],
    ['screening', 'reject', 'rejected'],
    ['accepted', 'publish', 'published'],
    ['published', 'withdraw', 'withdrawn'],
    ['withdrawn', 'publish', 'published'],
  ] as [CaseStatus, CaseAction, CaseStatus][])('%s --%s--> %s', (from, action, to) => {
    expect(transitionCase(from, action)).toBe(to);
  });

  it('allows exactly the transitions above', () => {
    const allowed = CASE_STATUSES.flatMap((from) =>
      Object.keys(CASE_TRANSITIONS[from]).map((action) => `${from}:${action}`),
    );
    expect(allowed).toHaveLength(6);
  });

  const illegal = CASE_STATUSES.flatMap((from) =>
    CASE_ACTIONS.filter((action) => !CASE_TRANSITIONS[from][action]).map((action) => [from, action] as const),
  );
  it('has illegal transitions to test', () => expect(illegal.length).toBe(CASE_STATUSES.length * 5 - 6));
  it.each(illegal)('a %s case cannot take %s', (from, action) => {
    expect(() => transitionCase(from, action)).toThrow(DomainError);
    try {
      transitionCase(from, action);
    } catch (err) {
      expect(err).toMatchObject({ code: 'CASE.ILLEGAL_TRANSITION', status: 409 });
      expect((err as DomainError).extra).toEqual({ currentStatus: from, action });
    }
  });

  it('never leaves a rejected case', () => {
    expect(CASE_TRANSITIONS.rejected).toEqual({});
  });
});
