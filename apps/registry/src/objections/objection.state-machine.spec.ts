import { OBJECTION_OUTCOMES } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { ObjectionStatus, resolveObjectionStatus } from './objection.state-machine';

describe('objection state machine', () => {
  it.each(OBJECTION_OUTCOMES)('an open objection can be resolved as %s', (outcome) => {
    expect(resolveObjectionStatus('open', outcome)).toBe(outcome);
  });

  it('an open objection is closed when its entry ends', () => {
    expect(resolveObjectionStatus('open', 'closed_entry_ended')).toBe('closed_entry_ended');
  });

  const resolved: ObjectionStatus[] = ['upheld', 'corrected', 'withdrawn', 'closed_entry_ended'];
  const targets = [...OBJECTION_OUTCOMES, 'closed_entry_ended'] as const;
  it.each(resolved.flatMap((from) => targets.map((to) => [from, to] as const)))(
    'a %s objection cannot become %s',
    (from, to) => {
      expect(() => resolveObjectionStatus(from, to)).toThrow(DomainError);
      try {
        resolveObjectionStatus(from, to);
      } catch (err) {
        expect(err).toMatchObject({
          code: from === 'closed_entry_ended' ? 'OBJECTION.CLOSED' : 'OBJECTION.ALREADY_RESOLVED',
          status: 409,
        });
      }
    },
  );
});
