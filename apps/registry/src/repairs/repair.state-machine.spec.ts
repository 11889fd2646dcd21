import { DomainError } from '@credit/platform';
import {
  nextRepairStatus,
  OPEN_REPAIR_STATUSES,
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

  it.each(OPEN_REPAIR_STATUSES)('a %s application may be withdrawn, or closed with its entry', (from) => {
    expect(nextRepairStatus(from, 'withdraw')).toBe('withdrawn');
    expect(nextRepairStatus(from, 'close')).toBe('closed_entry_ended');
  });

  const illegal = REPAIR_STATUSES.flatMap((from) =>
    REPAIR_COMMANDS.filter((c) => !REPAIR_TRANSITIONS[from][c]).map((c) => [from, c] as const),
  );

  it('has every other pair as an illegal transition', () => {
    expect(illegal).toHaveLength(REPAIR_STATUSES.length * REPAIR_COMMANDS.length - 5 - 2 * 3);
  });

  it.each(illegal)('a %s application refuses %s with a stable code', (from, command) => {
    expect(() => nextRepairStatus(from as RepairStatus, command as RepairCommand)).toThrow(DomainError);
    try {
      nextRepairStatus(from, command);
    } catch (err) {
      const code =
        command === 'withdraw'
          ? 'REPAIR.NOT_WITHDRAWABLE'
          : from === 'approved' || from === 'rejected'
            ? 'REPAIR.ALREADY_DECIDED'
            : from === 'withdrawn' || from === 'closed_entry_ended'
              ? 'REPAIR.CLOSED'
              : 'REPAIR.TRANSITION_NOT_ALLOWED';
      expect(err).toMatchObject({ status: 409, code, extra: { currentStatus: from, command } });
    }
  });
});
