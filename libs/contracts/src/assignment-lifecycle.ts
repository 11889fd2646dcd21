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
  'lifted',
  'lift_confirmed',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const ASSIGNMENT_COMMANDS = [
  'acknowledge',
  'enforce',
  'mark_not_applicable',
  'lift',
  'confirm_lift',
] as const;
export type AssignmentCommand = (typeof ASSIGNMENT_COMMANDS)[number];

export const ASSIGNMENT_TRANSITIONS: Readonly<
  Record<AssignmentStatus, Readonly<Partial<Record<AssignmentCommand, AssignmentStatus>>>>
> = {
  // a lift may reach a department before it acknowledged: it then only confirms the lift
  issued: { acknowledge: 'acknowledged', lift: 'lifted' },
  acknowledged: { enforce: 'enforced', mark_not_applicable: 'not_applicable', lift: 'lifted' },
  // each further enforcement (another blocked application) is recorded against the same assignment
  enforced: { enforce: 'enforced', lift: 'lifted' },
  not_applicable: {},
  lifted: { confirm_lift: 'lift_confirmed' },
  lift_confirmed: {},
};

/** Statuses in which the measure binds the department (the entry is in force for it). */
export const ACTIVE_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['issued', 'acknowledged', 'enforced'];

export function nextAssignmentStatus(
  from: AssignmentStatus,
  command: AssignmentCommand,
): AssignmentStatus | undefined {
  return ASSIGNMENT_TRANSITIONS[from][command];
}
