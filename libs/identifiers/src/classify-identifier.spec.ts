import { classifyIdentifier, legacyKeysOfUscc, looksLikeIdNumber } from './classify-identifier';
import { computeIdNumberCheckCharacter } from './id-number';
import { computeOrganizationCheckCharacter } from './organization-code';
import { computeRegistrationNumberCheckDigit } from './registration-number';
import { computeUsccCheckCharacter } from './uscc';

const TODAY = new Date('2024-06-15T12:00:00+08:00');
const withUsccCheck = (first17: string): string => first17 + computeUsccCheckCharacter(first17);
const withIdCheck = (first17: string): string => first17 + computeIdNumberCheckCharacter(first17);
const withRegCheck = (first14: string): string => first14 + computeRegistrationNumberCheckDigit(first14);

const COMPANY = '91330106MA2H7QK45E';
const PERSON = '11010519491231002X';
// A USCC made only of digits: its positions 7–14 (06123456) are not a birth date.
const NUMERIC_ORG_BODY = '12345678';
const NUMERIC_USCC = withUsccCheck(
  `91330106${NUMERIC_ORG_BODY}${computeOrganizationCheckCharacter(NUMERIC_ORG_BODY)}`,
);
// 15 digits valid both as a legacy ID (330106, 1985-03-12, seq 12x) and as a registration number.
const AMBIGUOUS = withRegCheck('33010685031212');

describe('classifyIdentifier', () => {
  it('classifies a USCC', () => {
    expect(classifyIdentifier('９１３３０１０６ma2h7qk45e', { today: TODAY })).toEqual({
      ok: true,
      type: 'uscc',
      value: COMPANY,
      candidates: [{ type: 'uscc', value: COMPANY }],
      ambiguous: false,
    });
  });

  it('classifies an 18-digit ID number', () => {
    expect(classifyIdentifier('110105 19491231 002x', { today: TODAY })).toMatchObject({
      ok: true,
      type: 'id_number',
      value: PERSON,
      ambiguous: false,
    });
  });

  it('classifies an all-digit USCC whose positions 7–14 are no birth date as a USCC', () => {
    expect(NUMERIC_USCC).toMatch(/^\d{17}[\dX]$/);
    expect(classifyIdentifier(NUMERIC_USCC, { today: TODAY })).toMatchObject({ ok: true, type: 'uscc' });
  });

  it('falls back to USCC when an ID-shaped value is a valid USCC but not a valid ID number', () => {
    // 91330119 + 850312xx: positions 7–14 read 19850312, but 913301 is no person's region.
    const uscc = ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09']
      .map((tail) => `850312${tail}`)
      .map((body) => withUsccCheck(`91330119${body}${computeOrganizationCheckCharacter(body)}`))
      .find((code) => /^\d{18}$/.test(code));
    expect(uscc).toBeDefined();
    expect(looksLikeIdNumber(uscc ?? '', TODAY)).toBe(true);
    expect(classifyIdentifier(uscc ?? '', { today: TODAY })).toMatchObject({
      ok: true,
      type: 'uscc',
      value: uscc,
    });
  });

  it('returns both candidates for the rare 18 digits valid as an ID number and as a USCC', () => {
    // ID: Tianjin 122201, born 1985-03-12; USCC: 1 机构编制 / 2 事业单位, Jilin 220119, org code 85031207-8.
    const both = '122201198503120788';
    expect(classifyIdentifier(both, { today: TODAY })).toEqual({
      ok: true,
      type: 'id_number',
      value: both,
      candidates: [
        { type: 'id_number', value: both },
        { type: 'uscc', value: both },
      ],
      ambiguous: true,
    });
  });

  it('reports the ID failure for an ID-shaped value that is neither', () => {
    const wrongCheck = PERSON.slice(0, 17) + '1';
    expect(classifyIdentifier(wrongCheck, { today: TODAY })).toMatchObject({
      ok: false,
      code: 'SUBJECT.INVALID_ID_CHECKSUM',
    });
  });

  it('reports a USCC failure for an 18-character value that is not ID-shaped', () => {
    expect(classifyIdentifier('91330106MA2H7QK45F', { today: TODAY })).toMatchObject({
      ok: false,
      code: 'SUBJECT.INVALID_USCC_CHECKSUM',
    });
    expect(classifyIdentifier('91330106MA2H7QK4XQ', { today: TODAY })).toMatchObject({
      ok: false,
      code: 'SUBJECT.INVALID_USCC_ORG_CODE',
    });
  });

  it('passes the allow-list through for pilot codes', () => {
    const result = classifyIdentifier('91330106MA2H7QK4XQ', {
      today: TODAY,
      allowList: new Set(['91330106MA2H7QK4XQ']),
    });
    expect(result).toMatchObject({ ok: true, type: 'uscc', value: '91330106MA2H7QK4XQ', pilot: true });
  });

  it('treats a future "birth date" as not ID-shaped', () => {
    expect(looksLikeIdNumber(withIdCheck('33010620991231002'), TODAY)).toBe(false);
    expect(looksLikeIdNumber(PERSON, TODAY)).toBe(true);
    expect(looksLikeIdNumber(COMPANY, TODAY)).toBe(false);
  });

  describe('15 digits', () => {
    it('returns both candidates when the value is a valid legacy ID number and a registration number', () => {
      expect(classifyIdentifier(AMBIGUOUS, { today: TODAY })).toEqual({
        ok: true,
        type: 'id_number',
        value: withIdCheck(`33010619${AMBIGUOUS.slice(6)}`),
        upgradedFrom15: AMBIGUOUS,
        candidates: [
          {
            type: 'id_number',
            value: withIdCheck(`33010619${AMBIGUOUS.slice(6)}`),
            upgradedFrom15: AMBIGUOUS,
          },
          { type: 'registration_number', value: AMBIGUOUS },
        ],
        ambiguous: true,
      });
    });

    it('classifies a registration number whose positions 7–12 are no date', () => {
      expect(classifyIdentifier('110108000000016', { today: TODAY })).toEqual({
        ok: true,
        type: 'registration_number',
        value: '110108000000016',
        candidates: [{ type: 'registration_number', value: '110108000000016' }],
        ambiguous: false,
      });
    });

    it('finds the GB 11643-1999 legacy example itself ambiguous (it passes MOD 11,10 by chance)', () => {
      expect(classifyIdentifier('110105491231002', { today: TODAY })).toMatchObject({
        ok: true,
        type: 'id_number',
        value: PERSON,
        candidates: [
          { type: 'id_number', value: PERSON, upgradedFrom15: '110105491231002' },
          { type: 'registration_number', value: '110105491231002' },
        ],
        ambiguous: true,
      });
    });

    it('classifies a legacy ID number that fails the registration check', () => {
      const legacy = '110105491231001';
      expect(withRegCheck(legacy.slice(0, 14))).not.toBe(legacy);
      expect(classifyIdentifier(legacy, { today: TODAY })).toMatchObject({
        ok: true,
        type: 'id_number',
        value: withIdCheck('11010519491231001'),
        upgradedFrom15: legacy,
        candidates: [{ type: 'id_number', value: withIdCheck('11010519491231001'), upgradedFrom15: legacy }],
        ambiguous: false,
      });
    });

    it('reports the registration-number failure when neither validates', () => {
      expect(classifyIdentifier('110108000000017', { today: TODAY })).toMatchObject({
        ok: false,
        code: 'SUBJECT.INVALID_REG_NO_CHECKSUM',
      });
      expect(classifyIdentifier('11010800000001A', { today: TODAY })).toMatchObject({
        code: 'SUBJECT.INVALID_REG_NO_CHARACTER',
      });
    });
  });

  it('classifies an organization code with or without hyphen', () => {
    expect(classifyIdentifier('D2143569-X')).toMatchObject({
      ok: true,
      type: 'organization_code',
      value: 'D2143569X',
    });
    expect(classifyIdentifier('d2143569x')).toMatchObject({ ok: true, type: 'organization_code' });
    expect(classifyIdentifier('D2143569-1')).toMatchObject({
      ok: false,
      code: 'SUBJECT.INVALID_ORG_CODE_CHECKSUM',
    });
  });

  it.each(['', '1234', '91330106MA2H7QK45EE', '1101051949123100'])('rejects unknown length %p', (raw) => {
    expect(classifyIdentifier(raw)).toMatchObject({
      ok: false,
      code: 'SUBJECT.INVALID_IDENTIFIER_LENGTH',
      rule: 'length',
    });
  });
});

describe('legacyKeysOfUscc', () => {
  it('returns the embedded organization code', () => {
    expect(legacyKeysOfUscc(COMPANY)).toEqual(['MA2H7QK45']);
    expect(legacyKeysOfUscc('91350100M000100Y43')).toEqual(['M000100Y4']);
  });

  it('normalizes first', () => {
    expect(legacyKeysOfUscc('９１３３０１０６-ma2h7qk45e')).toEqual(['MA2H7QK45']);
  });

  it('still yields the key of a pilot code whose checks fail', () => {
    expect(legacyKeysOfUscc('91330106MA2H7QK4XQ')).toEqual(['MA2H7QK4X']);
  });

  it.each(['', '91330106MA2H7QK45', '91330106MA2H7QK4IQ'])('returns nothing for %p', (raw) => {
    expect(legacyKeysOfUscc(raw)).toEqual([]);
  });
});
