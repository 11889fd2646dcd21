import { IdentifierInputError, identifierFailure, type IdentifierFailure } from './failure';
import { normalizeIdentifier } from './normalize';
import { isValidRegistrationRegion } from './regions';
import { IdentifierCodes } from './identifier.errors';

export interface ValidRegistrationNumber {
  readonly ok: true;
  readonly value: string;
  /** Positions 1–6: region code of the first registration authority. */
  readonly region: string;
}

export type RegistrationNumberResult = ValidRegistrationNumber | IdentifierFailure;

/** ISO 7064 MOD 11,10 check digit over the first 14 digits of a 工商注册号. */
export const computeRegistrationNumberCheckDigit = (first14: string): string => {
  if (!/^\d{14}$/.test(first14)) {
    throw new IdentifierInputError('registration number body must be 14 digits');
  }
  let product = 10;
  for (const digit of first14) {
    const sum = (product + Number(digit)) % 10 || 10;
    product = (sum * 2) % 11;
  }
  // Chosen so that running the same step over the check digit yields a sum of 1.
  return String((11 - product) % 10);
};

/** 工商注册号 (pre-2015 business registration number), 15 digits. */
export const validateRegistrationNumber = (raw: string): RegistrationNumberResult => {
  const value = normalizeIdentifier(raw);
  if (value.length !== 15) {
    return identifierFailure(
      IdentifierCodes.INVALID_REG_NO_LENGTH,
      'length',
      '工商注册号应为15位',
      'business registration number must be 15 digits',
    );
  }
  if (!/^\d{15}$/.test(value)) {
    return identifierFailure(
      IdentifierCodes.INVALID_REG_NO_CHARACTER,
      'character',
      '工商注册号只能包含数字',
      'business registration number must contain digits only',
    );
  }
  const region = value.slice(0, 6);
  if (!isValidRegistrationRegion(region)) {
    return identifierFailure(
      IdentifierCodes.INVALID_REG_NO_REGION,
      'region',
      '第1–6位登记机关行政区划码无效',
      'positions 1–6: invalid registration authority region code',
    );
  }
  if (computeRegistrationNumberCheckDigit(value.slice(0, 14)) !== value[14]) {
    return identifierFailure(
      IdentifierCodes.INVALID_REG_NO_CHECKSUM,
      'checksum',
      '第15位校验码错误',
      'position 15: check digit does not match',
    );
  }
  return { ok: true, value, region };
};
