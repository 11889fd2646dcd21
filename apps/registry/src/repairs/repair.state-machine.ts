import { DomainError } from '@credit/platform';
import { RepairErrors } from './repair.errors';

/**
 * 信用修复申请 (国家发展改革委令第36号): submitted → (material requested → submitted again) → accepted
 * (受理) → approved | rejected. Asking for more material pauses the acceptance clock until it is supplied.
 * Until it is decided the applicant may withdraw it (撤回), and an application still open when its entry
 * ends for another reason is closed with the entry (`closed_entry_ended`): neither has a deadline left.
 */
export const REPAIR_STATUSES = [
  'submitted',
  'material_requested',
  'accepted',
  'approved',
  'rejected',
  'withdrawn',
  'closed_entry_ended',
] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

/** An application still waiting for the owner or the applicant: one per entry at a time. */
export const OPEN_REPAIR_STATUSES: readonly RepairStatus[] = ['submitted', 'material_requested', 'accepted'];

/** Ended without a decision: the applicant withdrew it, or its entry ended first. */
const CLOSED_REPAIR_STATUSES: readonly RepairStatus[] = ['withdrawn', 'closed_entry_ended'];

export const REPAIR_COMMANDS = [
  'request_material',
  'supply_material',
  'accept',
  'approve',
  'reject',
  'withdraw',
  'close',
] as const;
export type RepairCommand = (typeof REPAIR_COMMANDS)[number];

export const REPAIR_TRANSITIONS: Readonly<
  Record<RepairStatus, Readonly<Partial<Record<RepairCommand, RepairStatus>>>>
> = {
  submitted: {
    request_material: 'material_requested',
    accept: 'accepted',
    withdraw: 'withdrawn',
    close: 'closed_entry_ended',
  },
  material_requested: { supply_material: 'submitted', withdraw: 'withdrawn', close: 'closed_entry_ended' },
  accepted: { approve: 'approved', reject: 'rejected', withdraw: 'withdrawn', close: 'closed_entry_ended' },
  approved: {},
  rejected: {},
  withdrawn: {},
  closed_entry_ended: {},
};

export function nextRepairStatus(from: RepairStatus, command: RepairCommand): RepairStatus {
  const to = REPAIR_TRANSITIONS[from][command];
  if (to) return to;
  const extra = { currentStatus: from, command };
  if (command === 'withdraw') {
    throw new DomainError({
      error: RepairErrors.NOT_WITHDRAWABLE,
      detail: `a repair application that is ${from} can no longer be withdrawn (修复申请已办结，不能撤回)`,
      extra: extra,
    });
  }
  if (from === 'approved' || from === 'rejected') {
    throw new DomainError({
      error: RepairErrors.ALREADY_DECIDED,
      detail: `the repair application is already ${from} (修复申请已决定)`,
      extra: extra,
    });
  }
  if (CLOSED_REPAIR_STATUSES.includes(from)) {
    throw new DomainError({
      error: RepairErrors.CLOSED,
      detail: `the repair application is ${from}: nothing is left to do on it (修复申请已终结)`,
      extra: extra,
    });
  }
  throw new DomainError({
    error: RepairErrors.TRANSITION_NOT_ALLOWED,
    detail: `cannot ${command.replace('_', ' ')} a repair application that is ${from} (修复申请当前状态不允许此操作)`,
    extra: extra,
  });
}
