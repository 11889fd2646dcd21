import { DomainError } from '@credit/platform';
import { decidingAgreement, inboundStep, INBOUND_STEPS, inEffectOn, ReceivedState } from './exchange-rules';

describe('recognition agreements (decision 0035)', () => {
  const a = (id: string, from: string, to: string | null, made: string) => ({
    id,
    effectiveFrom: from,
    effectiveTo: to,
    createdAt: new Date(made),
  });

  it('is in effect from its first to its last day, both inclusive; open-ended without a last day', () => {
    const agreement = a('x', '2026-12-01', '2026-12-31', '2026-11-01');
    expect(
      ['2026-11-30', '2026-12-01', '2026-12-31', '2027-01-01'].map((d) => inEffectOn(agreement, d)),
    ).toEqual([false, true, true, false]);
    expect(inEffectOn(a('y', '2026-12-01', null, '2026-11-01'), '2099-01-01')).toBe(true);
  });

  it('decides by the latest agreement in effect; none in effect decides nothing', () => {
    const old = a('old', '2026-01-01', null, '2026-01-01');
    const newer = a('new', '2026-06-01', null, '2026-05-01');
    const expired = a('gone', '2026-01-01', '2026-03-01', '2026-09-01');
    expect(decidingAgreement([old, newer, expired], '2026-12-03')?.id).toBe('new');
    expect(decidingAgreement([old, newer, expired], '2026-02-01')?.id).toBe('gone');
    expect(decidingAgreement([expired], '2026-12-03')).toBeUndefined();
  });
});

describe('what an accepted document does to the entry received under its origin id', () => {
  it('registers a first publication and withdraws an entry in force', () => {
    expect(inboundStep('unknown', 'publication')).toBe('register');
    expect(inboundStep('in_force', 'withdrawal')).toBe('withdraw');
    expect(inboundStep('ended', 'withdrawal')).toBe('note_only');
  });

  const refusals: [ReceivedState, 'publication' | 'withdrawal', string][] = [
    ['unknown', 'withdrawal', 'EXCHANGE.UNKNOWN_ENTRY'],
    ['in_force', 'publication', 'EXCHANGE.REVISION_NOT_SUPPORTED'],
    ['ended', 'publication', 'EXCHANGE.ENTRY_ENDED'],
  ];
  it.each(refusals)('refuses a %s entry a %s with %s', (state, kind, code) => {
    expect(() => inboundStep(state, kind)).toThrow(DomainError);
    try {
      inboundStep(state, kind);
    } catch (e) {
      expect((e as DomainError).code).toBe(code);
    }
  });

  it('has a step or a refusal for every state and kind', () => {
    for (const state of Object.keys(INBOUND_STEPS) as ReceivedState[])
      expect(Object.keys(INBOUND_STEPS[state]).sort()).toEqual(['publication', 'withdrawal']);
  });
});
