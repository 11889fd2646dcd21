import { DomainError } from '@credit/platform';

/**
 * 信用修复申请 (国家发展改革委令第36号): submitted → (material requested → submitted again) → accepted
 * (受理) → approved | rejected. Asking for more material pauses the acceptance clock until it is supplied.
 */
export const REPAIR_STATUSES = [
  'submitted',
  'material_requested',
  'accepted',
  'approved',
  'rejected',
] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

/** An application still waiting for the owner or the applicant: one per entry at a time. */
export const OPEN_REPAIR_STATUSES: readonly RepairStatus[] = ['submitted', 'material_requested', 'accepted'];

export const REPAIR_COMMANDS = [
  'request_material',
  'supply_material',
  'accept',
  'approve',
  'reject',
] as const;
export type RepairCommand = (typeof REPAIR_COMMANDS)[number];

export const REPAIR_TRANSITIONS: Readonly<
  Record<RepairStatus, Readonly<Partial<Record<RepairCommand, RepairStatus>>>>
> = {
  submitted: { request_material: 'material_requested', accept: 'accepted' },
  material_requested: { supply_material: 'submitted' },
  accepted: { approve: 'approved', reject: 'rejected' },
  approved: {},
  rejected: {},
};

export function nextRepairStatus(from: RepairStatus, command: RepairCommand): RepairStatus {
  const to = REPAIR_TRANSITIONS[from][command];
  if (to) return to;
  if (from === 'approved' || from === 'rejected') {
    throw new DomainError(
      'REPAIR.ALREADY_DECIDED',
      409,
      `the repair application is already ${from} (修复申请已决定)`,
      undefined,
      { currentStatus: from, command },
    );
  }
  throw new DomainError(
    'REPAIR.TRANSITION_NOT_ALLOWED',
    409,
    `cannot ${command.replace('_', ' ')} a repair application that is ${from} (修复申请当前状态不允许此操作)`,
    undefined,
    { currentStatus: from, command },
  );
}
