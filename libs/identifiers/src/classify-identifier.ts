import { isPlausibleBirthDate } from './birth-date';
import { identifierFailure, type IdentifierFailure } from './failure';
import { validateIdNumber } from './id-number';
import { normalizeIdentifier } from './normalize';
import { validateOrganizationCode } from './organization-code';
import { validateRegistrationNumber } from './registration-number';
import { USCC_CHARSET, validateUscc, type ValidUscc } from './uscc';
import { IdentifierCodes } from './identifier.errors';

export type IdentifierType = 'uscc' | 'id_number' | 'organization_code' | 'registration_number';

export interface IdentifierCandidate {
  readonly type: IdentifierType;
  /** Normalized; an upgraded legacy ID number is given in its 18-digit form. */
  readonly value: string;
  readonly upgradedFrom15?: string;
  readonly pilot?: true;
}

export interface ClassifiedIdentifier extends IdentifierCandidate {
  readonly ok: true;
  /**
   * Every interpretation that validates, the preferred one first (it is also `type`/`value`).
   * More than one only for 15 digits that are both a valid legacy ID number and a valid
   * registration number: the caller must look up both.
   */
  readonly candidates: readonly IdentifierCandidate[];
  readonly ambiguous: boolean;
}

export type ClassifyResult = ClassifiedIdentifier | IdentifierFailure;

export interface ClassifyOptions {
  readonly today?: Date;
  readonly allowList?: ReadonlySet<string>;
}

const single = (candidate: IdentifierCandidate): ClassifiedIdentifier => ({
  ok: true,
  ...candidate,
  candidates: [candidate],
  ambiguous: false,
});

const usccCandidate = (uscc: ValidUscc): IdentifierCandidate =>
  uscc.pilot === true
    ? { type: 'uscc', value: uscc.value, pilot: true }
    : { type: 'uscc', value: uscc.value };

/**
 * An 18-character value made of 17 digits and a digit/X whose positions 7–14 form a plausible birth date.
 * Digits-only USCCs exist (e.g. a 91… code with a numeric organization code), hence the date test.
 */
export const looksLikeIdNumber = (normalized: string, today: Date = new Date()): boolean =>
  /^\d{17}[\dX]$/.test(normalized) && isPlausibleBirthDate(normalized.slice(6, 14), today);

/** Decides what kind of identifier `raw` is from its shape after normalization, then validates it. */
export const classifyIdentifier = (raw: string, options: ClassifyOptions = {}): ClassifyResult => {
  const value = normalizeIdentifier(raw);
  const today = options.today ?? new Date();

  if (value.length === 18) {
    const uscc = validateUscc(value, { allowList: options.allowList });
    const toUscc = (): ClassifyResult => (uscc.ok ? single(usccCandidate(uscc)) : uscc);
    if (!looksLikeIdNumber(value, today)) return toUscc();
    const id = validateIdNumber(value, { today });
    if (id.ok && uscc.ok) {
      // Rare but possible (e.g. 122201198503120788): both readings validate; the caller looks up both.
      const candidates: IdentifierCandidate[] = [{ type: 'id_number', value: id.value }, usccCandidate(uscc)];
      return { ok: true, ...candidates[0], candidates, ambiguous: true };
    }
    if (id.ok) return single({ type: 'id_number', value: id.value });
    // Shaped like an ID number: its failure is the more specific one unless the value is a valid USCC.
    return uscc.ok ? toUscc() : id;
  }

  if (value.length === 15) {
    const regNo = validateRegistrationNumber(value);
    const id = validateIdNumber(value, { today });
    const candidates: IdentifierCandidate[] = [];
    if (id.ok) candidates.push({ type: 'id_number', value: id.value, upgradedFrom15: value });
    if (regNo.ok) candidates.push({ type: 'registration_number', value: regNo.value });
    // 15-digit identifiers in a credit registry are mostly registration numbers: report that failure.
    if (!regNo.ok && !id.ok) return regNo;
    return { ok: true, ...candidates[0], candidates, ambiguous: candidates.length > 1 };
  }

  if (value.length === 9) {
    const org = validateOrganizationCode(value);
    return org.ok ? single({ type: 'organization_code', value: org.value }) : org;
  }

  return identifierFailure(
    IdentifierCodes.INVALID_IDENTIFIER_LENGTH,
    'length',
    '无法识别的证件号码：应为18位统一社会信用代码或身份证号码、15位注册号或旧身份证号码、9位组织机构代码',
    'unrecognized identifier: expected 18 (USCC or ID number), 15 (registration or legacy ID number) or 9 (organization code) characters',
  );
};

/**
 * Legacy lookup keys embedded in a unified code: the organization code at positions 9–17, so a subject
 * registered under its old code is found by its new one. Empty when `uscc` is not structurally a USCC.
 */
export const legacyKeysOfUscc = (uscc: string): readonly string[] => {
  const value = normalizeIdentifier(uscc);
  if (value.length !== 18 || [...value].some((ch) => !USCC_CHARSET.includes(ch))) return [];
  return [value.slice(8, 17)];
};
