import { DomainError } from '@credit/platform';
import {
  COMMITMENT_SETTLEMENTS,
  COMMITMENT_STATUSES,
  COMMITMENT_TRANSITIONS,
  settleCommitment,
} from './commitment.state-machine';

describe('commitment state machine', () => {
  it('an open commitment is kept or broken; a kept one can still be found broken', () => {
    expect(settleCommitment('open', 'keep')).toBe('kept');
    expect(settleCommitment('open', 'break')).toBe('broken');
    expect(settleCommitment('kept', 'break')).toBe('broken');
  });

  const illegal = COMMITMENT_STATUSES.flatMap((from) =>
    COMMITMENT_SETTLEMENTS.filter((s) => !COMMITMENT_TRANSITIONS[from][s]).map((s) => [from, s] as const),
  );
  it('has illegal transitions to test', () => expect(illegal.length).toBe(3));
  it.each(illegal)('a %s commitment cannot be settled with %s', (from, settlement) => {
    expect(() => settleCommitment(from, settlement)).toThrow(DomainError);
    try {
      settleCommitment(from, settlement);
    } catch (err) {
      expect(err).toMatchObject({ code: 'COMMITMENT.ALREADY_SETTLED', status: 409 });
      expect((err as DomainError).extra).toEqual({ currentStatus: from });
    }
  });
});
