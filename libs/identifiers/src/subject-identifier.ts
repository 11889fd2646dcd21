import type { SubjectKind } from '@credit/contracts';
import { legacyKeysOfUscc, looksLikeIdNumber } from './classify-identifier';
import type { IdentifierFailure } from './failure';
import { validateIdNumber } from './id-number';
import { normalizeIdentifier } from './normalize';
import { validateUscc } from './uscc';

export interface ValidSubjectIdentifier {
  readonly ok: true;
  readonly kind: SubjectKind;
  readonly type: 'uscc' | 'id_number';
  /** Normalized value to store and look up by (ID numbers always in 18-digit form). */
  readonly value: string;
  readonly pilot?: true;
  readonly orgCodeMismatch?: true;
  readonly upgradedFrom15?: string;
  /** Legacy identifiers the subject can also be found by (the organization code inside a USCC). */
  readonly legacyIds: readonly string[];
}

export type SubjectIdentifierResult = ValidSubjectIdentifier | IdentifierFailure;

export interface SubjectIdentifierOptions {
  readonly allowList?: ReadonlySet<string>;
  readonly today?: Date;
  readonly orgCodeCheck?: 'reject' | 'flag';
}

/**
 * The identifier a subject of `kind` must carry: organizations a USCC; individuals an ID number
 * (15-digit legacy numbers upgraded); individual businesses a USCC or their operator's 18-digit ID number.
 */
export const validateSubjectIdentifier = (
  kind: SubjectKind,
  raw: string,
  options: SubjectIdentifierOptions = {},
): SubjectIdentifierResult => {
  const today = options.today ?? new Date();
  const asIdNumber = (): SubjectIdentifierResult => {
    const id = validateIdNumber(raw, { today });
    if (!id.ok) return id;
    return {
      ok: true,
      kind,
      type: 'id_number',
      value: id.value,
      legacyIds: id.upgradedFrom15 === undefined ? [] : [id.upgradedFrom15],
      ...(id.upgradedFrom15 === undefined ? {} : { upgradedFrom15: id.upgradedFrom15 }),
    };
  };
  const asUscc = (): SubjectIdentifierResult => {
    const uscc = validateUscc(raw, { allowList: options.allowList, orgCodeCheck: options.orgCodeCheck });
    if (!uscc.ok) return uscc;
    return {
      ok: true,
      kind,
      type: 'uscc',
      value: uscc.value,
      legacyIds: legacyKeysOfUscc(uscc.value),
      ...(uscc.pilot ? { pilot: true } : {}),
      ...(uscc.orgCodeMismatch ? { orgCodeMismatch: true } : {}),
    };
  };

  switch (kind) {
    case 'individual':
      return asIdNumber();
    case 'legal_person':
    case 'unincorporated_org':
      return asUscc();
    case 'individual_business': {
      const uscc = asUscc();
      if (uscc.ok) return uscc;
      // Only the operator's 18-digit number is accepted here; report its failure when it is shaped like one.
      const normalized = normalizeIdentifier(raw);
      if (!looksLikeIdNumber(normalized, today)) return uscc;
      return asIdNumber();
    }
  }
};
