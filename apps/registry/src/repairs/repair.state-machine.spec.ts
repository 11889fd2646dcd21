import { DomainError } from '@credit/platform';
import { decideRepair, REPAIR_STATUSES, RepairDecision } from './repair.state-machine';

describe('repair application state machine', () => {
  it('a pending application is approved or rejected', () => {
    expect(decideRepair('pending', 'approve')).toBe('approved');
    expect(decideRepair('pending', 'reject')).toBe('rejected');
  });

  const decisions: RepairDecision[] = ['approve', 'reject'];
  it.each(
    REPAIR_STATUSES.filter((s) => s !== 'pending').flatMap((s) => decisions.map((d) => [s, d] as const)),
  )('a %s application cannot be decided again (%s)', (from, decision) => {
    expect(() => decideRepair(from, decision)).toThrow(DomainError);
    expect(() => decideRepair(from, decision)).toThrow(/already/);
  });
});
