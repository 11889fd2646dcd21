// Province-level prefixes of GB/T 2260 administrative division codes, grouped by region.
// prettier-ignore
const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

// '10' (100000) is used by national-level registration authorities (e.g. SAMR), never on a person.
const NATIONAL_PREFIX = '10';

// '83' (830000) prefixes residence-permit numbers of Taiwan residents, issued in the 18-digit ID format
// (as 81/82 are for Hong Kong / Macao residents).
const TAIWAN_RESIDENT_PERMIT_PREFIX = '83';

const SIX_DIGITS = /^\d{6}$/;

/** Region code of a registration authority (USCC positions 3–8, registration number positions 1–6). */
export const isValidRegistrationRegion = (code: string): boolean =>
  SIX_DIGITS.test(code) && (PROVINCE_PREFIXES.has(code.slice(0, 2)) || code.slice(0, 2) === NATIONAL_PREFIX);

/** Region code of a resident ID number (positions 1–6): the place of first household registration. */
export const isValidPersonRegion = (code: string): boolean =>
  SIX_DIGITS.test(code) &&
  (PROVINCE_PREFIXES.has(code.slice(0, 2)) || code.slice(0, 2) === TAIWAN_RESIDENT_PERMIT_PREFIX);
