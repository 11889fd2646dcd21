import { computeIdNumberCheckCharacter } from './id-number';
import { computeOrganizationCheckCharacter } from './organization-code';
import { validateSubjectIdentifier } from './subject-identifier';
import { computeUsccCheckCharacter } from './uscc';

const TODAY = new Date('2024-06-15T12:00:00+08:00');
const COMPANY = '91330106MA2H7QK45E';
const INDIVIDUAL_BUSINESS_FIRST17 = `92330106MA2H7QK4${computeOrganizationCheckCharacter('MA2H7QK4')}`;
const INDIVIDUAL_BUSINESS =
  INDIVIDUAL_BUSINESS_FIRST17 + computeUsccCheckCharacter(INDIVIDUAL_BUSINESS_FIRST17);
const PERSON = '11010519491231002X';
const LEGACY_PERSON = '110105491231002';
const options = { today: TODAY };

describe('validateSubjectIdentifier', () => {
  it.each(['legal_person', 'unincorporated_org'] as const)('%s: accepts a USCC', (kind) => {
    expect(validateSubjectIdentifier(kind, ' ９１３３０１０６ma2h7qk45e ', options)).toMatchObject({
      ok: true,
      kind,
      type: 'uscc',
      value: COMPANY,
    });
  });

  it.each(['legal_person', 'unincorporated_org'] as const)('%s: rejects an ID number', (kind) => {
    expect(validateSubjectIdentifier(kind, PERSON, options)).toMatchObject({ ok: false });
  });

  it('legal_person: names the failed rule', () => {
    expect(validateSubjectIdentifier('legal_person', '91330106MA2H7QK4XQ', options)).toMatchObject({
      ok: false,
      code: 'SUBJECT.INVALID_USCC_ORG_CODE',
      rule: 'organization_code',
    });
  });

  it('legal_person: accepts an allow-listed pilot code', () => {
    expect(
      validateSubjectIdentifier('legal_person', '91330106MA2H7QK4XQ', {
        ...options,
        allowList: new Set(['91330106MA2H7QK4XQ']),
      }),
    ).toMatchObject({
      ok: true,
      kind: 'legal_person',
      type: 'uscc',
      value: '91330106MA2H7QK4XQ',
      pilot: true,
    });
  });

  it('individual: accepts an 18-digit ID number', () => {
    expect(validateSubjectIdentifier('individual', '11010519491231002x', options)).toMatchObject({
      ok: true,
      kind: 'individual',
      type: 'id_number',
      value: PERSON,
    });
  });

  it('individual: upgrades a 15-digit number', () => {
    expect(validateSubjectIdentifier('individual', LEGACY_PERSON, options)).toMatchObject({
      ok: true,
      kind: 'individual',
      type: 'id_number',
      value: PERSON,
      upgradedFrom15: LEGACY_PERSON,
    });
  });

  it('individual: rejects a USCC and a future birth date', () => {
    expect(validateSubjectIdentifier('individual', COMPANY, options)).toMatchObject({
      ok: false,
      code: 'SUBJECT.INVALID_ID_CHARACTER',
    });
    const future = `33010620250101002`;
    expect(
      validateSubjectIdentifier('individual', future + computeIdNumberCheckCharacter(future), options),
    ).toMatchObject({ ok: false, code: 'SUBJECT.INVALID_ID_BIRTHDATE', rule: 'birthdate' });
  });

  describe('individual_business', () => {
    it('accepts a USCC', () => {
      expect(validateSubjectIdentifier('individual_business', INDIVIDUAL_BUSINESS, options)).toMatchObject({
        ok: true,
        kind: 'individual_business',
        type: 'uscc',
        value: INDIVIDUAL_BUSINESS,
      });
    });

    it("accepts the operator's 18-digit ID number", () => {
      expect(validateSubjectIdentifier('individual_business', PERSON, options)).toMatchObject({
        ok: true,
        kind: 'individual_business',
        type: 'id_number',
        value: PERSON,
      });
    });

    it('does not accept a 15-digit legacy ID number', () => {
      expect(validateSubjectIdentifier('individual_business', LEGACY_PERSON, options)).toMatchObject({
        ok: false,
        code: 'SUBJECT.INVALID_USCC_LENGTH',
      });
    });

    it('reports the ID failure for an ID-shaped value', () => {
      expect(
        validateSubjectIdentifier('individual_business', PERSON.slice(0, 17) + '1', options),
      ).toMatchObject({
        ok: false,
        code: 'SUBJECT.INVALID_ID_CHECKSUM',
      });
    });

    it('reports the USCC failure otherwise', () => {
      expect(validateSubjectIdentifier('individual_business', '92330106MA2H7QK45E', options)).toMatchObject({
        ok: false,
        code: 'SUBJECT.INVALID_USCC_CHECKSUM',
      });
    });
  });
});

describe('validateSubjectIdentifier legacy identifiers', () => {
  it('gives the organization code inside a USCC as a legacy identifier', () => {
    expect(validateSubjectIdentifier('legal_person', '91330106MA2H7QK45E')).toMatchObject({
      ok: true,
      legacyIds: ['MA2H7QK45'],
    });
  });

  it('gives the 15-digit number an ID number was upgraded from', () => {
    expect(validateSubjectIdentifier('individual', '110105491231002')).toMatchObject({
      ok: true,
      value: '11010519491231002X',
      legacyIds: ['110105491231002'],
    });
  });
});
