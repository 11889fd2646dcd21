import { IdentifierInputError } from './failure';
import { computeIdNumberCheckCharacter, upgradeLegacyIdNumber, validateIdNumber } from './id-number';

const TODAY = new Date('2024-06-15T12:00:00+08:00');
const makeId = (region: string, yyyymmdd: string, seq: string): string => {
  const first17 = region + yyyymmdd + seq;
  return first17 + computeIdNumberCheckCharacter(first17);
};
const replaceAt = (s: string, index: number, ch: string): string =>
  s.slice(0, index) + ch + s.slice(index + 1);

describe('computeIdNumberCheckCharacter', () => {
  it.each([
    ['11010519491231002', 'X'], // GB 11643-1999 examples
    ['44052418800101001', '4'],
    ['33010619850312123', makeId('330106', '19850312', '123')[17]],
  ])('%s → %s', (first17, check) => {
    expect(computeIdNumberCheckCharacter(first17)).toBe(check);
  });

  it('covers every remainder 0–10 with the table 1,0,X,9,8,7,6,5,4,3,2', () => {
    const seen = new Set<string>();
    for (let seq = 0; seq < 200 && seen.size < 11; seq++) {
      seen.add(computeIdNumberCheckCharacter(`11010519900101${String(seq).padStart(3, '0')}`));
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it.each(['1101051949123100', '110105194912310021', '1101051949123100X'])('rejects body %p', (body) => {
    expect(() => computeIdNumberCheckCharacter(body)).toThrow(IdentifierInputError);
  });
});

describe('validateIdNumber', () => {
  it('accepts the GB 11643-1999 example and reads region, birth date and sex', () => {
    expect(validateIdNumber('11010519491231002X', { today: TODAY })).toEqual({
      ok: true,
      value: '11010519491231002X',
      region: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });

  it('reads an odd sequence as male', () => {
    const id = makeId('330106', '19850312', '123');
    expect(validateIdNumber(id, { today: TODAY })).toMatchObject({
      ok: true,
      sex: 'male',
      birthDate: '1985-03-12',
    });
  });

  it.each([
    ['lower-case x', '11010519491231002x'],
    ['full-width', '１１０１０５１９４９１２３１００２Ｘ'],
    ['spaces', '110105 19491231 002X'],
    ['hyphens', '110105-19491231-002X'],
  ])('normalizes %s input', (_case, raw) => {
    expect(validateIdNumber(raw, { today: TODAY })).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it.each([
    ['Hong Kong resident permit', '810000'],
    ['Macao resident permit', '820000'],
    ['Taiwan resident permit', '830000'],
    ['Taiwan province', '710000'],
  ])('accepts region: %s', (_case, region) => {
    expect(validateIdNumber(makeId(region, '19900101', '001'), { today: TODAY })).toMatchObject({ ok: true });
  });

  describe('15-digit legacy numbers', () => {
    it('upgrades the GB 11643-1999 example 110105491231002 → 11010519491231002X', () => {
      expect(upgradeLegacyIdNumber('110105491231002')).toBe('11010519491231002X');
      expect(validateIdNumber('110105491231002', { today: TODAY })).toEqual({
        ok: true,
        value: '11010519491231002X',
        region: '110105',
        birthDate: '1949-12-31',
        sex: 'female',
        upgradedFrom15: '110105491231002',
      });
    });

    it('upgrades with normalization and reports the normalized legacy number', () => {
      expect(validateIdNumber('３３０１０６ 850312 123', { today: TODAY })).toMatchObject({
        ok: true,
        value: makeId('330106', '19850312', '123'),
        upgradedFrom15: '330106850312123',
        sex: 'male',
      });
    });

    it.each([
      ['letter', '11010549123100X', 'SUBJECT.INVALID_ID_CHARACTER'],
      ['bad region', '000000491231002', 'SUBJECT.INVALID_ID_REGION'],
      ['month 13', '110105491331002', 'SUBJECT.INVALID_ID_BIRTHDATE'],
      ['1900-02-29 (1900 is not a leap year)', '110105000229002', 'SUBJECT.INVALID_ID_BIRTHDATE'],
    ])('rejects %s', (_case, raw, code) => {
      expect(validateIdNumber(raw, { today: TODAY })).toMatchObject({ ok: false, code });
    });

    it('accepts 1900-01-01, the earliest representable date', () => {
      expect(validateIdNumber('110105000101002', { today: TODAY })).toMatchObject({
        birthDate: '1900-01-01',
      });
    });

    it.each(['110105', '11010549123100', 'x', ''])('rejects upgrade input %p', (raw) => {
      expect(() => upgradeLegacyIdNumber(raw)).toThrow(IdentifierInputError);
    });
  });

  describe('birth date', () => {
    it.each([
      ['2000-02-29 (divisible by 400)', '20000229'],
      ['2024-02-29', '20240229'],
      ['1996-02-29', '19960229'],
      ['today', '20240615'],
      ['1900-01-01', '19000101'],
      ['31 December', '19991231'],
    ])('accepts %s', (_case, date) => {
      expect(validateIdNumber(makeId('330106', date, '002'), { today: TODAY })).toMatchObject({ ok: true });
    });

    it.each([
      ['2023-02-29', '20230229'],
      ['2100-02-29 (not a leap year, and future)', '21000229'],
      ['1900-02-29 (not a leap year)', '19000229'],
      ['2024-02-30', '20240230'],
      ['April 31', '20230431'],
      ['month 00', '19900001'],
      ['month 13', '19901301'],
      ['day 00', '19900100'],
      ['1899-12-31', '18991231'],
      ['GB 11643 example born 1880', '18800101'],
      ['tomorrow', '20240616'],
      ['next year', '20250101'],
    ])('rejects %s', (_case, date) => {
      expect(validateIdNumber(makeId('330106', date, '002'), { today: TODAY })).toMatchObject({
        ok: false,
        code: 'SUBJECT.INVALID_ID_BIRTHDATE',
        rule: 'birthdate',
      });
    });

    it('judges "today" in China Standard Time, not the server zone', () => {
      const id = makeId('330106', '20240615', '002');
      // 2024-06-14T16:30Z is already 2024-06-15 00:30 in Beijing.
      expect(validateIdNumber(id, { today: new Date('2024-06-14T16:30:00Z') })).toMatchObject({ ok: true });
      expect(validateIdNumber(id, { today: new Date('2024-06-14T15:30:00Z') })).toMatchObject({
        code: 'SUBJECT.INVALID_ID_BIRTHDATE',
      });
    });

    it('defaults today to now', () => {
      expect(validateIdNumber(makeId('330106', '20991231', '002'))).toMatchObject({
        code: 'SUBJECT.INVALID_ID_BIRTHDATE',
      });
      expect(validateIdNumber('11010519491231002X')).toMatchObject({ ok: true });
    });

    it('throws a coded programmer error for an invalid `today`', () => {
      expect(() => validateIdNumber('11010519491231002X', { today: new Date('nope') })).toThrow(
        expect.objectContaining({ code: 'IDENTIFIERS.INVALID_INPUT' }),
      );
    });
  });

  const VALID = '11010519491231002X';
  it.each([
    ['17 digits', VALID.slice(0, 17), 'SUBJECT.INVALID_ID_LENGTH', 'length'],
    ['19 characters', `${VALID}1`, 'SUBJECT.INVALID_ID_LENGTH', 'length'],
    ['16 digits', '1101054912310021', 'SUBJECT.INVALID_ID_LENGTH', 'length'],
    ['empty', '', 'SUBJECT.INVALID_ID_LENGTH', 'length'],
    ['X not in last place', replaceAt(VALID, 16, 'X'), 'SUBJECT.INVALID_ID_CHARACTER', 'character'],
    ['letter in body', replaceAt(VALID, 3, 'A'), 'SUBJECT.INVALID_ID_CHARACTER', 'character'],
    ['letter other than X last', replaceAt(VALID, 17, 'Y'), 'SUBJECT.INVALID_ID_CHARACTER', 'character'],
    ['region 000000', makeId('000000', '19491231', '002'), 'SUBJECT.INVALID_ID_REGION', 'region'],
    ['unknown province 99', makeId('990105', '19491231', '002'), 'SUBJECT.INVALID_ID_REGION', 'region'],
    [
      'national-level prefix 10 (organizations only)',
      makeId('100000', '19491231', '002'),
      'SUBJECT.INVALID_ID_REGION',
      'region',
    ],
    ['check digit wrong', replaceAt(VALID, 17, '1'), 'SUBJECT.INVALID_ID_CHECKSUM', 'checksum'],
    ['sequence typo', replaceAt(VALID, 15, '1'), 'SUBJECT.INVALID_ID_CHECKSUM', 'checksum'],
    ['region typo within province', replaceAt(VALID, 5, '6'), 'SUBJECT.INVALID_ID_CHECKSUM', 'checksum'],
  ])('rejects %s', (_case, raw, code, rule) => {
    const result = validateIdNumber(raw, { today: TODAY });
    expect(result).toMatchObject({ ok: false, code, rule });
    if (!result.ok) expect(result.message).toMatch(/^\p{Script=Han}.* \/ [a-zA-Z]/u);
  });
});
