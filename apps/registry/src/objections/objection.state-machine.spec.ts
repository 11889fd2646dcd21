import { OBJECTION_OUTCOMES } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { ObjectionStatus, resolveObjectionStatus } from './objection.state-machine';

describe('objection state machine', () => {
  it.each(OBJECTION_OUTCOMES)('an open objection can be resolved as %s', (outcome) => {
    expect(resolveObjectionStatus('open', outcome)).toBe(outcome);
  });

  const resolved: ObjectionStatus[] = ['upheld', 'corrected', 'withdrawn'];
  it.each(resolved.flatMap((from) => OBJECTION_OUTCOMES.map((to) => [from, to] as const)))(
    'a %s objection cannot become %s',
    (from, to) => {
      expect(() => resolveObjectionStatus(from, to)).toThrow(DomainError);
      try {
        resolveObjectionStatus(from, to);
      } catch (err) {
        expect(err).toMatchObject({ code: 'OBJECTION.ALREADY_RESOLVED', status: 409 });
      }
    },
  );
});
