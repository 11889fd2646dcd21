import { IdentifierInputError, identifierFailure, type IdentifierFailure } from './failure';
import { normalizeIdentifier } from './normalize';
import { IdentifierCodes } from './identifier.errors';

const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const BODY = /^[0-9A-Z]{8}$/;
const CHECK = /^[0-9X]$/;

export interface ValidOrganizationCode {
  readonly ok: true;
  /** Nine characters without the hyphen: the lookup key. */
  readonly value: string;
  /** Conventional display form `XXXXXXXX-C`. */
  readonly formatted: string;
}

export type OrganizationCodeResult = ValidOrganizationCode | IdentifierFailure;

// GB 11714: digits keep their value, letters A–Z count 10–35.
const charValue = (ch: string): number => {
  const cp = ch.charCodeAt(0);
  return cp <= 57 ? cp - 48 : cp - 55;
};

/** GB 11714 check character for the 8-character body: 11 − (Σ mod 11), 10 → X, 11 → 0. */
export const computeOrganizationCheckCharacter = (first8: string): string => {
  if (!BODY.test(first8)) {
    throw new IdentifierInputError('organization code body must be 8 characters from 0-9A-Z');
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += charValue(first8[i]) * WEIGHTS[i];
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
};

/** Shared by the standalone validator and the USCC validator (positions 9–17). */
export const hasValidOrganizationCheck = (code9: string): boolean =>
  BODY.test(code9.slice(0, 8)) && computeOrganizationCheckCharacter(code9.slice(0, 8)) === code9[8];

/** 组织机构代码 (GB 11714), 9 characters, accepted with or without the hyphen before the check character. */
export const validateOrganizationCode = (raw: string): OrganizationCodeResult => {
  const value = normalizeIdentifier(raw);
  if (value.length !== 9) {
    return identifierFailure(
      IdentifierCodes.INVALID_ORG_CODE_LENGTH,
      'length',
      '组织机构代码应为9位',
      'organization code must be 9 characters',
    );
  }
  if (!BODY.test(value.slice(0, 8)) || !CHECK.test(value[8])) {
    return identifierFailure(
      IdentifierCodes.INVALID_ORG_CODE_CHARACTER,
      'character',
      '组织机构代码含非法字符（本体代码为数字或大写字母，校验码为数字或X）',
      'organization code has an invalid character (body 0-9A-Z, check 0-9 or X)',
    );
  }
  if (!hasValidOrganizationCheck(value)) {
    return identifierFailure(
      IdentifierCodes.INVALID_ORG_CODE_CHECKSUM,
      'checksum',
      '组织机构代码校验码错误',
      'organization code check character does not match',
    );
  }
  return { ok: true, value, formatted: `${value.slice(0, 8)}-${value[8]}` };
};
