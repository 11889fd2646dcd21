import { IdentifierInputError } from './failure';
import { computeRegistrationNumberCheckDigit, validateRegistrationNumber } from './registration-number';

const makeRegNo = (first14: string): string => first14 + computeRegistrationNumberCheckDigit(first14);
const replaceAt = (s: string, index: number, ch: string): string =>
  s.slice(0, index) + ch + s.slice(index + 1);
const VALID = '110108000000016'; // GS 15-2006 example

describe('computeRegistrationNumberCheckDigit', () => {
  it('reproduces the GS 15-2006 example', () => {
    expect(computeRegistrationNumberCheckDigit('11010800000001')).toBe('6');
  });

  it('yields a digit that makes the ISO 7064 MOD 11,10 running sum end at 1', () => {
    for (const first14 of ['33010640012345', '44030010309741', '10000000000001', '65010299999999']) {
      const full = makeRegNo(first14);
      let product = 10;
      let sum = 0;
      for (const d of full) {
        sum = (product + Number(d)) % 10 || 10;
        product = (sum * 2) % 11;
      }
      expect(sum).toBe(1);
    }
  });

  it.each(['1101080000000', '110108000000016', '1101080000000A'])('rejects body %p', (body) => {
    expect(() => computeRegistrationNumberCheckDigit(body)).toThrow(IdentifierInputError);
  });
});

describe('validateRegistrationNumber', () => {
  it.each([
    ['GS 15-2006 example', VALID],
    ['generated Hangzhou number', makeRegNo('33010640012345')],
    ['national-level authority 100000', makeRegNo('10000000000001')],
  ])('accepts %s', (_case, raw) => {
    expect(validateRegistrationNumber(raw)).toEqual({ ok: true, value: raw, region: raw.slice(0, 6) });
  });

  it.each([
    ['full-width', '１１０１０８０００００００１６'],
    ['spaces', '110108 000000 016'],
    ['hyphens', '110108-000000016'],
  ])('normalizes %s input', (_case, raw) => {
    expect(validateRegistrationNumber(raw)).toMatchObject({ ok: true, value: VALID });
  });

  it.each([
    ['14 digits', VALID.slice(0, 14), 'SUBJECT.INVALID_REG_NO_LENGTH', 'length'],
    ['16 digits', `${VALID}0`, 'SUBJECT.INVALID_REG_NO_LENGTH', 'length'],
    ['letter', replaceAt(VALID, 8, 'A'), 'SUBJECT.INVALID_REG_NO_CHARACTER', 'character'],
    ['X check digit', replaceAt(VALID, 14, 'X'), 'SUBJECT.INVALID_REG_NO_CHARACTER', 'character'],
    ['region 000000', makeRegNo('00000000000001'), 'SUBJECT.INVALID_REG_NO_REGION', 'region'],
    ['unknown province 99', makeRegNo('99010800000001'), 'SUBJECT.INVALID_REG_NO_REGION', 'region'],
    ['check digit wrong', replaceAt(VALID, 14, '7'), 'SUBJECT.INVALID_REG_NO_CHECKSUM', 'checksum'],
    ['body typo', replaceAt(VALID, 10, '1'), 'SUBJECT.INVALID_REG_NO_CHECKSUM', 'checksum'],
  ])('rejects %s', (_case, raw, code, rule) => {
    expect(validateRegistrationNumber(raw)).toMatchObject({ ok: false, code, rule });
  });

  it('detects every single-digit substitution', () => {
    for (let i = 0; i < 15; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === VALID[i]) continue;
        expect(validateRegistrationNumber(replaceAt(VALID, i, String(d))).ok).toBe(false);
      }
    }
  });
});
