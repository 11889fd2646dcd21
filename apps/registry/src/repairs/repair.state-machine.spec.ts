import { DomainError } from '@credit/platform';
import {
  nextRepairStatus,
  REPAIR_COMMANDS,
  REPAIR_STATUSES,
  REPAIR_TRANSITIONS,
  RepairCommand,
  RepairStatus,
} from './repair.state-machine';

describe('repair application state machine', () => {
  it('runs submitted → material requested → submitted → accepted → approved | rejected', () => {
    expect(nextRepairStatus('submitted', 'request_material')).toBe('material_requested');
    expect(nextRepairStatus('material_requested', 'supply_material')).toBe('submitted');
    expect(nextRepairStatus('submitted', 'accept')).toBe('accepted');
    expect(nextRepairStatus('accepted', 'approve')).toBe('approved');
    expect(nextRepairStatus('accepted', 'reject')).toBe('rejected');
  });

  const illegal = REPAIR_STATUSES.flatMap((from) =>
    REPAIR_COMMANDS.filter((c) => !REPAIR_TRANSITIONS[from][c]).map((c) => [from, c] as const),
  );

  it('has every other pair as an illegal transition', () => {
    expect(illegal).toHaveLength(REPAIR_STATUSES.length * REPAIR_COMMANDS.length - 5);
  });

  it.each(illegal)('a %s application refuses %s with a stable code', (from, command) => {
    expect(() => nextRepairStatus(from as RepairStatus, command as RepairCommand)).toThrow(DomainError);
    try {
      nextRepairStatus(from, command);
    } catch (err) {
      const decided = from === 'approved' || from === 'rejected';
      expect(err).toMatchObject({
        status: 409,
        code: decided ? 'REPAIR.ALREADY_DECIDED' : 'REPAIR.TRANSITION_NOT_ALLOWED',
        extra: { currentStatus: from, command },
      });
    }
  });
});
