import { IdentifierInputError, identifierFailure, type IdentifierFailure } from './failure';
import { isPlausibleBirthDate } from './birth-date';
import { normalizeIdentifier } from './normalize';
import { isValidPersonRegion } from './regions';
import { IdentifierCodes } from './identifier.errors';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export interface ValidIdNumber {
  readonly ok: true;
  /** Always the 18-digit form. */
  readonly value: string;
  readonly region: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
  /** The 15-digit number as given (normalized), when it was upgraded to 18 digits. */
  readonly upgradedFrom15?: string;
}

export type IdNumberResult = ValidIdNumber | IdentifierFailure;

export interface IdNumberOptions {
  /** Reference date for the "not in the future" rule; defaults to now. */
  readonly today?: Date;
}

/** ISO 7064 MOD 11-2 check character of a resident ID number (GB 11643-1999). */
export const computeIdNumberCheckCharacter = (first17: string): string => {
  if (!/^\d{17}$/.test(first17)) throw new IdentifierInputError('ID number body must be 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
};

/** 15-digit legacy number → 18 digits: century `19` inserted before YYMMDD, check character appended. */
export const upgradeLegacyIdNumber = (legacy15: string): string => {
  if (!/^\d{15}$/.test(legacy15)) throw new IdentifierInputError('legacy ID number must be 15 digits');
  const first17 = `${legacy15.slice(0, 6)}19${legacy15.slice(6)}`;
  return first17 + computeIdNumberCheckCharacter(first17);
};

const characterFailure = (): IdentifierFailure =>
  identifierFailure(
    IdentifierCodes.INVALID_ID_CHARACTER,
    'character',
    '身份证号码含非法字符（仅数字，18位号码末位可为X）',
    'ID number has an invalid character (digits only; the 18th may be X)',
  );

/** 公民身份号码 (GB 11643-1999), 18 digits; 15-digit legacy numbers are upgraded. */
export const validateIdNumber = (raw: string, options: IdNumberOptions = {}): IdNumberResult => {
  const normalized = normalizeIdentifier(raw);
  let value: string;
  if (normalized.length === 15) {
    if (!/^\d{15}$/.test(normalized)) return characterFailure();
    value = `${normalized.slice(0, 6)}19${normalized.slice(6)}`;
  } else if (normalized.length === 18) {
    if (!/^\d{17}[\dX]$/.test(normalized)) return characterFailure();
    value = normalized;
  } else {
    return identifierFailure(
      IdentifierCodes.INVALID_ID_LENGTH,
      'length',
      '身份证号码应为18位（或15位旧号码）',
      'ID number must be 18 digits (or a 15-digit legacy number)',
    );
  }
  const region = value.slice(0, 6);
  if (!isValidPersonRegion(region)) {
    return identifierFailure(
      IdentifierCodes.INVALID_ID_REGION,
      'region',
      '第1–6位行政区划码无效',
      'positions 1–6: invalid region code',
    );
  }
  const birth = value.slice(6, 14);
  if (!isPlausibleBirthDate(birth, options.today ?? new Date())) {
    return identifierFailure(
      IdentifierCodes.INVALID_ID_BIRTHDATE,
      'birthdate',
      '出生日期无效（须为1900-01-01至今的真实日期）',
      'birth date must be a real date between 1900-01-01 and today',
    );
  }
  const first17 = value.slice(0, 17);
  const check = computeIdNumberCheckCharacter(first17);
  const upgraded = normalized.length === 15;
  if (!upgraded && check !== value[17]) {
    return identifierFailure(
      IdentifierCodes.INVALID_ID_CHECKSUM,
      'checksum',
      '第18位校验码错误',
      'position 18: check character does not match',
    );
  }
  const result: ValidIdNumber = {
    ok: true,
    value: upgraded ? first17 + check : value,
    region,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    // Sequence (positions 15–17): odd = male, even = female.
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
  return upgraded ? { ...result, upgradedFrom15: normalized } : result;
};
