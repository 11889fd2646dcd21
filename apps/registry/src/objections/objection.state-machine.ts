import { ObjectionOutcome } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { ObjectionErrors } from './objection.errors';

/**
 * 异议: opened on behalf of the subject, resolved once by the owning department; one still open when its
 * entry ends for another reason (expiry, repair, the owner's end) is closed with it, without a resolution.
 */
export type ObjectionClosure = 'closed_entry_ended';
export type ObjectionStatus = 'open' | ObjectionOutcome | ObjectionClosure;

export const OBJECTION_TRANSITIONS: Readonly<
  Record<ObjectionStatus, readonly (ObjectionOutcome | ObjectionClosure)[]>
> = {
  open: ['upheld', 'corrected', 'withdrawn', 'closed_entry_ended'],
  upheld: [],
  corrected: [],
  withdrawn: [],
  closed_entry_ended: [],
};

export function resolveObjectionStatus(
  from: ObjectionStatus,
  outcome: ObjectionOutcome | ObjectionClosure,
): ObjectionStatus {
  if (OBJECTION_TRANSITIONS[from].includes(outcome)) return outcome;
  if (from === 'closed_entry_ended') {
    throw new DomainError({
      error: ObjectionErrors.CLOSED,
      detail:
        'the objection was closed when its entry ended: there is nothing left to resolve (名单已终止，异议已终结)',
      extra: { currentStatus: from },
    });
  }
  throw new DomainError({
    error: ObjectionErrors.ALREADY_RESOLVED,
    detail: `the objection is already ${from}; it cannot become ${outcome} (异议已处理)`,
    extra: { currentStatus: from },
  });
}
