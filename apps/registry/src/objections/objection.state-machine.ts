import { ObjectionOutcome } from '@credit/contracts';
import { DomainError } from '@credit/platform';

/** 异议: opened on behalf of the subject, resolved once by the owning department. */
export type ObjectionStatus = 'open' | ObjectionOutcome;

export const OBJECTION_TRANSITIONS: Readonly<Record<ObjectionStatus, readonly ObjectionOutcome[]>> = {
  open: ['upheld', 'corrected', 'withdrawn'],
  upheld: [],
  corrected: [],
  withdrawn: [],
};

export function resolveObjectionStatus(from: ObjectionStatus, outcome: ObjectionOutcome): ObjectionStatus {
  if (!OBJECTION_TRANSITIONS[from].includes(outcome)) {
    throw new DomainError(
      'OBJECTION.ALREADY_RESOLVED',
      409,
      `the objection is already ${from}; it cannot become ${outcome} (异议已处理)`,
      undefined,
      { currentStatus: from },
    );
  }
  return outcome;
}
