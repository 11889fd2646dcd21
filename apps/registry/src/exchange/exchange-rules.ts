import { DomainError, ErrorSpec } from '@credit/platform';
import { ExchangeErrors } from './exchange.errors';

/*
 * The pure rules of inbound exchange (decision 0035): which agreement recognises a document, and what an
 * accepted document does to the entry received under its origin id.
 */

export interface AgreementTerms {
  id: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  createdAt: Date;
}

/** Whether an agreement is in effect on a Beijing day (YYYY-MM-DD), both ends inclusive. */
export function inEffectOn(
  agreement: Pick<AgreementTerms, 'effectiveFrom' | 'effectiveTo'>,
  day: string,
): boolean {
  return agreement.effectiveFrom <= day && (agreement.effectiveTo === null || day <= agreement.effectiveTo);
}

/** The agreement that decides on `day`: of those in effect, the latest made; none when none is. */
export function decidingAgreement<T extends AgreementTerms>(agreements: T[], day: string): T | undefined {
  return agreements
    .filter((a) => inEffectOn(a, day))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))[0];
}

/** Where the entry received under an origin id stands here. */
export type ReceivedState = 'unknown' | 'in_force' | 'ended';
export type DocumentKind = 'publication' | 'withdrawal';
export type InboundStep = 'register' | 'withdraw' | 'note_only';

type Refusal = { refuse: ErrorSpec; detail: string };

/** The table: for each state and kind of document, the step or the refusal (nothing stored). */
export const INBOUND_STEPS: Readonly<
  Record<ReceivedState, Readonly<Record<DocumentKind, InboundStep | Refusal>>>
> = {
  unknown: {
    publication: 'register',
    withdrawal: {
      refuse: ExchangeErrors.UNKNOWN_ENTRY,
      detail: 'no entry was received under this origin id; nothing to withdraw',
    },
  },
  in_force: {
    publication: {
      refuse: ExchangeErrors.REVISION_NOT_SUPPORTED,
      detail:
        'the entry is already recognised under this origin id; a changed entry is withdrawn and sent anew',
    },
    withdrawal: 'withdraw',
  },
  ended: {
    publication: {
      refuse: ExchangeErrors.ENTRY_ENDED,
      detail: 'the entry received under this origin id has ended here',
    },
    // ended here already (its period ran out): the withdrawal is recorded, nothing else changes
    withdrawal: 'note_only',
  },
};

export function inboundStep(state: ReceivedState, kind: DocumentKind): InboundStep {
  const step = INBOUND_STEPS[state][kind];
  if (typeof step === 'string') return step;
  throw new DomainError({
    error: step.refuse,
    detail: step.detail,
    field: 'document.origin.entryId',
    extra: { receivedState: state, kind },
  });
}
