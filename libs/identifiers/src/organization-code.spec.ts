import { IdentifierInputError } from './failure';
import { computeOrganizationCheckCharacter, validateOrganizationCode } from './organization-code';

describe('computeOrganizationCheckCharacter', () => {
  it.each([
    ['D2143569', 'X'], // GB 11714-1997 example
    ['M000100Y', '4'], // embedded in the GB 32100 example 91350100M000100Y43
    ['MA2H7QK4', '5'],
  ])('%s → %s', (body, check) => {
    expect(computeOrganizationCheckCharacter(body)).toBe(check);
  });

  it('maps 11 to 0', () => {
    // Σ mod 11 = 0 → 11 − 0 = 11 → '0'.
    expect(computeOrganizationCheckCharacter('00000000')).toBe('0');
  });

  it.each(['D214356', 'D21435699', 'd2143569', 'D214356*'])('rejects body %p', (body) => {
    expect(() => computeOrganizationCheckCharacter(body)).toThrow(IdentifierInputError);
  });
});

describe('validateOrganizationCode', () => {
  it.each([
    ['D2143569-X', 'D2143569X'],
    ['D2143569X', 'D2143569X'],
    ['d2143569-x', 'D2143569X'],
    ['ＭＡ２Ｈ７ＱＫ４－５', 'MA2H7QK45'],
    [' MA2H7QK4 – 5 ', 'MA2H7QK45'],
  ])('accepts %p', (raw, value) => {
    const result = validateOrganizationCode(raw);
    expect(result).toEqual({ ok: true, value, formatted: `${value.slice(0, 8)}-${value[8]}` });
  });

  it.each([
    ['too short', 'D2143569', 'SUBJECT.INVALID_ORG_CODE_LENGTH', 'length'],
    ['too long', 'D2143569XX', 'SUBJECT.INVALID_ORG_CODE_LENGTH', 'length'],
    ['empty', '', 'SUBJECT.INVALID_ORG_CODE_LENGTH', 'length'],
    ['symbol in body', 'D21435*9-X', 'SUBJECT.INVALID_ORG_CODE_CHARACTER', 'character'],
    ['letter check other than X', 'D2143569-A', 'SUBJECT.INVALID_ORG_CODE_CHARACTER', 'character'],
    ['Chinese character', 'D214356中X', 'SUBJECT.INVALID_ORG_CODE_CHARACTER', 'character'],
    ['wrong check', 'D2143569-1', 'SUBJECT.INVALID_ORG_CODE_CHECKSUM', 'checksum'],
    ['body typo', 'D2143596-X', 'SUBJECT.INVALID_ORG_CODE_CHECKSUM', 'checksum'],
    [
      'the example code embedded in 91330106MA2H7QK4XQ',
      'MA2H7QK4-X',
      'SUBJECT.INVALID_ORG_CODE_CHECKSUM',
      'checksum',
    ],
  ])('rejects %s', (_case, raw, code, rule) => {
    const result = validateOrganizationCode(raw);
    expect(result).toMatchObject({ ok: false, code, rule });
  });

  it('gives a bilingual message, Chinese first', () => {
    const result = validateOrganizationCode('D2143569-1');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^组织机构代码.+ \/ organization code/);
  });
});
