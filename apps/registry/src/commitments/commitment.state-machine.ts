import { DomainError } from '@credit/platform';
import { CommitmentErrors } from './commitment.errors';

/**
 * 信用承诺: a commitment is open until the department it was made to finds it kept or broken. A kept one
 * can still be found broken later (a subsidy obtained by a false statement comes to light); a broken one
 * is final — it may be the basis of a new entry.
 */
export const COMMITMENT_STATUSES = ['open', 'kept', 'broken'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];
export const COMMITMENT_SETTLEMENTS = ['keep', 'break'] as const;
export type CommitmentSettlement = (typeof COMMITMENT_SETTLEMENTS)[number];

export const COMMITMENT_TRANSITIONS: Readonly<
  Record<CommitmentStatus, Readonly<Partial<Record<CommitmentSettlement, CommitmentStatus>>>>
> = {
  open: { keep: 'kept', break: 'broken' },
  kept: { break: 'broken' },
  broken: {},
};

export function settleCommitment(from: CommitmentStatus, settlement: CommitmentSettlement): CommitmentStatus {
  const to = COMMITMENT_TRANSITIONS[from][settlement];
  if (!to) {
    throw new DomainError({
      error: CommitmentErrors.ALREADY_SETTLED,
      detail: `the commitment is already ${from}; it cannot be marked ${settlement === 'keep' ? 'kept' : 'broken'} (承诺已认定)`,
      extra: { currentStatus: from },
    });
  }
  return to;
}
