/**
 * Life of an assignment (措施任务), the same in trigger (the issuer's ledger) and enforcement (the
 * department's inbox): assigned → acknowledged → in force → lifted → lift acknowledged; or not
 * applicable. A pure table; callers turn a refusal into their own error.
 */
export const ASSIGNMENT_STATUSES = [
  'issued',
  'acknowledged',
  'enforced',
  'not_applicable',
  'suspended',
  'lifted',
  'lift_confirmed',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const ASSIGNMENT_COMMANDS = [
  'acknowledge',
  'enforce',
  'mark_not_applicable',
  'suspend',
  'lift',
  'confirm_lift',
] as const;
export type AssignmentCommand = (typeof ASSIGNMENT_COMMANDS)[number];

export const ASSIGNMENT_TRANSITIONS: Readonly<
  Record<AssignmentStatus, Readonly<Partial<Record<AssignmentCommand, AssignmentStatus>>>>
> = {
  // a lift may reach a department before it acknowledged: it then only confirms the lift
  issued: { acknowledge: 'acknowledged', suspend: 'suspended', lift: 'lifted' },
  acknowledged: {
    enforce: 'enforced',
    mark_not_applicable: 'not_applicable',
    suspend: 'suspended',
    lift: 'lifted',
  },
  // each further enforcement (another blocked application) is recorded against the same assignment
  enforced: { enforce: 'enforced', suspend: 'suspended', lift: 'lifted' },
  not_applicable: {},
  // paused while an objection is open; resuming returns to the status it had (see resumeAssignment)
  suspended: { lift: 'lifted' },
  lifted: { confirm_lift: 'lift_confirmed' },
  lift_confirmed: {},
};

/** Statuses in which the measure binds the department (the entry is in force for it). */
export const ACTIVE_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['issued', 'acknowledged', 'enforced'];

/**
 * Statuses in which the assignment still stands — active, or suspended while an objection is open —
 * so a lift ends it: a retired or excluded measure, a lifted entry, a class that bars the department.
 */
export const LIFTABLE_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ASSIGNMENT_STATUSES.filter(
  (status) => ASSIGNMENT_TRANSITIONS[status].lift !== undefined,
);

export function nextAssignmentStatus(
  from: AssignmentStatus,
  command: AssignmentCommand,
): AssignmentStatus | undefined {
  return ASSIGNMENT_TRANSITIONS[from][command];
}

/**
 * Feedback and resumption of a suspended assignment act on the status it had before the suspension
 * (kept beside it): a department that acknowledged just before the suspension reached it is not lost.
 */
export function nextSuspendedStatus(
  before: AssignmentStatus,
  command: AssignmentCommand,
): AssignmentStatus | undefined {
  if (command === 'suspend' || command === 'lift' || command === 'confirm_lift') return undefined;
  return nextAssignmentStatus(before, command);
}
