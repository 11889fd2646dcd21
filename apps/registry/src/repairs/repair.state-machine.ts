import { DomainError } from '@credit/platform';

/** 信用修复申请: submitted on the subject's behalf, decided once by the owning department. */
export const REPAIR_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];
export type RepairDecision = 'approve' | 'reject';

export const REPAIR_TRANSITIONS: Readonly<
  Record<RepairStatus, Readonly<Partial<Record<RepairDecision, RepairStatus>>>>
> = {
  pending: { approve: 'approved', reject: 'rejected' },
  approved: {},
  rejected: {},
};

export function decideRepair(from: RepairStatus, decision: RepairDecision): RepairStatus {
  const to = REPAIR_TRANSITIONS[from][decision];
  if (!to) {
    throw new DomainError(
      'REPAIR.ALREADY_DECIDED',
      409,
      `the repair application is already ${from} (修复申请已决定)`,
      undefined,
      { currentStatus: from },
    );
  }
  return to;
}
