import {
  nextSuspendedStatus,
  ASSIGNMENT_COMMANDS,
  ASSIGNMENT_STATUSES,
  ASSIGNMENT_TRANSITIONS,
  nextAssignmentStatus,
} from './assignment-lifecycle';

describe('assignment lifecycle', () => {
  it.each([
    ['issued', 'acknowledge', 'acknowledged'],
    ['issued', 'lift', 'lifted'],
    ['acknowledged', 'enforce', 'enforced'],
    ['acknowledged', 'mark_not_applicable', 'not_applicable'],
    ['acknowledged', 'lift', 'lifted'],
    ['enforced', 'enforce', 'enforced'],
    ['enforced', 'lift', 'lifted'],
    ['lifted', 'confirm_lift', 'lift_confirmed'],
    ['issued', 'suspend', 'suspended'],
    ['acknowledged', 'suspend', 'suspended'],
    ['enforced', 'suspend', 'suspended'],
    ['suspended', 'lift', 'lifted'],
  ] as const)('%s --%s--> %s', (from, command, to) => {
    expect(nextAssignmentStatus(from, command)).toBe(to);
  });

  const illegal = ASSIGNMENT_STATUSES.flatMap((from) =>
    ASSIGNMENT_COMMANDS.filter((c) => !ASSIGNMENT_TRANSITIONS[from][c]).map((c) => [from, c] as const),
  );

  it.each(illegal)('refuses %s --%s', (from, command) => {
    expect(nextAssignmentStatus(from, command)).toBeUndefined();
  });

  it('has terminal states only where nothing more can happen', () => {
    expect(Object.keys(ASSIGNMENT_TRANSITIONS.lift_confirmed)).toEqual([]);
    expect(Object.keys(ASSIGNMENT_TRANSITIONS.not_applicable)).toEqual([]);
    expect(illegal).toContainEqual(['issued', 'enforce']);
    expect(illegal).toContainEqual(['lift_confirmed', 'acknowledge']);
  });
});

describe('suspended assignments', () => {
  it('apply feedback to the status they had before the suspension', () => {
    expect(nextSuspendedStatus('issued', 'acknowledge')).toBe('acknowledged');
    expect(nextSuspendedStatus('acknowledged', 'enforce')).toBe('enforced');
    expect(nextSuspendedStatus('issued', 'enforce')).toBeUndefined();
    expect(nextSuspendedStatus('acknowledged', 'suspend')).toBeUndefined();
  });
});
