import { IdentifierInputError } from './failure';
import { computeOrganizationCheckCharacter } from './organization-code';
import { USCC_CATEGORY_TABLE, USCC_CHARSET, computeUsccCheckCharacter, validateUscc } from './uscc';

// Builds a fully valid code from authority+category (2), region (6) and organization-code body (8).
const makeUscc = (prefix: string, region: string, orgBody: string): string => {
  const first17 = prefix + region + orgBody + computeOrganizationCheckCharacter(orgBody);
  return first17 + computeUsccCheckCharacter(first17);
};

// Replaces one character and re-seals the later check characters, so only the targeted rule fails.
const corrupt = (code: string, index: number, ch: string, reseal = true): string => {
  const changed = code.slice(0, index) + ch + code.slice(index + 1);
  if (!reseal) return changed;
  const first17 = changed.slice(0, 17);
  return USCC_CHARSET.includes(first17[0]) && [...first17].every((c) => USCC_CHARSET.includes(c))
    ? first17 + computeUsccCheckCharacter(first17)
    : changed;
};

const COMPANY = makeUscc('91', '330106', 'MA2H7QK4'); // 91330106MA2H7QK45E

describe('computeUsccCheckCharacter', () => {
  it.each([
    ['91350100M000100Y4', '3'], // GB 32100-2015 example
    ['91330106MA2H7QK45', 'E'],
    ['91330106MA2H7QK4X', 'Q'],
  ])('%s → %s', (first17, check) => {
    expect(computeUsccCheckCharacter(first17)).toBe(check);
  });

  it('maps 31 to 0', () => {
    expect(computeUsccCheckCharacter('00000000000000000')).toBe('0');
  });

  it.each(['9135010', '91350100M000100Y43', '91350100M000100I4', '91350100m000100y4'])(
    'rejects body %p',
    (first17) => {
      expect(() => computeUsccCheckCharacter(first17)).toThrow(IdentifierInputError);
    },
  );
});

describe('validateUscc', () => {
  describe('the project example 91330106MA2H7QK4XQ', () => {
    it('passes the GB 32100 check character but its embedded organization code MA2H7QK4-X does not', () => {
      expect(computeUsccCheckCharacter('91330106MA2H7QK4X')).toBe('Q');
      expect(computeOrganizationCheckCharacter('MA2H7QK4')).toBe('5');
      expect(validateUscc('91330106MA2H7QK4XQ')).toMatchObject({
        ok: false,
        code: 'SUBJECT.INVALID_USCC_ORG_CODE',
        rule: 'organization_code',
      });
    });

    it('is valid once both check characters are right: 91330106MA2H7QK45E', () => {
      expect(COMPANY).toBe('91330106MA2H7QK45E');
      expect(validateUscc(COMPANY)).toEqual({
        ok: true,
        value: '91330106MA2H7QK45E',
        registrationAuthority: '9',
        category: '1',
        region: '330106',
        organizationCode: 'MA2H7QK45',
      });
    });
  });

  it('accepts the GB 32100-2015 example', () => {
    expect(validateUscc('91350100M000100Y43')).toMatchObject({ ok: true, organizationCode: 'M000100Y4' });
  });

  const everyCategory = Object.entries(USCC_CATEGORY_TABLE).flatMap(([authority, { categories }]) =>
    Object.keys(categories).map((category) => authority + category),
  );

  it.each(everyCategory)('accepts authority+category %s from the table', (prefix) => {
    const code = makeUscc(prefix, '110105', '12345678');
    expect(validateUscc(code)).toMatchObject({
      ok: true,
      registrationAuthority: prefix[0],
      category: prefix[1],
    });
  });

  it.each([
    ['full-width', '９１３３０１０６ＭＡ２Ｈ７ＱＫ４５Ｅ'],
    ['lower case', '91330106ma2h7qk45e'],
    ['spaces', '9133 0106 MA2H 7QK4 5E'],
    ['hyphens and dashes', '91330106-MA2H7QK4–5—E'],
    ['surrounding whitespace', '\t 91330106MA2H7QK45E \n'],
  ])('normalizes %s input', (_case, raw) => {
    expect(validateUscc(raw)).toMatchObject({ ok: true, value: COMPANY });
  });

  it.each([
    ['national-level region 100000', '91', '100000'],
    ['Beijing', '91', '110108'],
    ['Xinjiang', '12', '650102'],
    ['Taiwan', '91', '710000'],
    ['Hong Kong', '91', '810000'],
    ['Macao', '91', '820000'],
  ])('accepts region: %s', (_case, prefix, region) => {
    expect(validateUscc(makeUscc(prefix, region, 'MA2H7QK4'))).toMatchObject({ ok: true, region });
  });

  it.each([
    ['17 characters', COMPANY.slice(0, 17), 'SUBJECT.INVALID_USCC_LENGTH', 'length'],
    ['19 characters', `${COMPANY}0`, 'SUBJECT.INVALID_USCC_LENGTH', 'length'],
    ['empty', '', 'SUBJECT.INVALID_USCC_LENGTH', 'length'],
    ['I (excluded letter)', corrupt(COMPANY, 9, 'I', false), 'SUBJECT.INVALID_USCC_CHARACTER', 'character'],
    ['O (excluded letter)', corrupt(COMPANY, 10, 'O', false), 'SUBJECT.INVALID_USCC_CHARACTER', 'character'],
    ['S (excluded letter)', corrupt(COMPANY, 11, 'S', false), 'SUBJECT.INVALID_USCC_CHARACTER', 'character'],
    ['V (excluded letter)', corrupt(COMPANY, 12, 'V', false), 'SUBJECT.INVALID_USCC_CHARACTER', 'character'],
    ['Z (excluded letter)', corrupt(COMPANY, 17, 'Z', false), 'SUBJECT.INVALID_USCC_CHARACTER', 'character'],
    ['symbol', corrupt(COMPANY, 5, '*', false), 'SUBJECT.INVALID_USCC_CHARACTER', 'character'],
    ['Chinese character', corrupt(COMPANY, 0, '中', false), 'SUBJECT.INVALID_USCC_CHARACTER', 'character'],
    ['authority B', corrupt(COMPANY, 0, 'B'), 'SUBJECT.INVALID_USCC_AUTHORITY', 'authority'],
    ['authority 0', corrupt(COMPANY, 0, '0'), 'SUBJECT.INVALID_USCC_AUTHORITY', 'authority'],
    ['authority X', corrupt(COMPANY, 0, 'X'), 'SUBJECT.INVALID_USCC_AUTHORITY', 'authority'],
    ['category 4 under 工商 (9)', corrupt(COMPANY, 1, '4'), 'SUBJECT.INVALID_USCC_CATEGORY', 'category'],
    ['category 9 under 工商 (9)', corrupt(COMPANY, 1, '9'), 'SUBJECT.INVALID_USCC_CATEGORY', 'category'],
    [
      'category 4 under 机构编制 (1)',
      makeUscc('14', '330106', 'MA2H7QK4'),
      'SUBJECT.INVALID_USCC_CATEGORY',
      'category',
    ],
    [
      'category 4 under 民政 (5)',
      makeUscc('54', '330106', 'MA2H7QK4'),
      'SUBJECT.INVALID_USCC_CATEGORY',
      'category',
    ],
    [
      'category 2 under 其他 (Y)',
      makeUscc('Y2', '330106', 'MA2H7QK4'),
      'SUBJECT.INVALID_USCC_CATEGORY',
      'category',
    ],
    ['category A under 工商 (9)', corrupt(COMPANY, 1, 'A'), 'SUBJECT.INVALID_USCC_CATEGORY', 'category'],
    ['region 000000', makeUscc('91', '000000', 'MA2H7QK4'), 'SUBJECT.INVALID_USCC_REGION', 'region'],
    ['unknown province 99', corrupt(COMPANY, 2, '9'), 'SUBJECT.INVALID_USCC_REGION', 'region'],
    ['unknown province 20', makeUscc('91', '200000', 'MA2H7QK4'), 'SUBJECT.INVALID_USCC_REGION', 'region'],
    ['unknown province 83', makeUscc('91', '830000', 'MA2H7QK4'), 'SUBJECT.INVALID_USCC_REGION', 'region'],
    ['letter in region', corrupt(COMPANY, 6, 'A'), 'SUBJECT.INVALID_USCC_REGION', 'region'],
    ['org code body typo', corrupt(COMPANY, 12, '8'), 'SUBJECT.INVALID_USCC_ORG_CODE', 'organization_code'],
    ['org code check wrong', corrupt(COMPANY, 16, 'X'), 'SUBJECT.INVALID_USCC_ORG_CODE', 'organization_code'],
    ['check character wrong', corrupt(COMPANY, 17, 'F', false), 'SUBJECT.INVALID_USCC_CHECKSUM', 'checksum'],
    ['two characters swapped', '91330106MA2H7KQ45E', 'SUBJECT.INVALID_USCC_ORG_CODE', 'organization_code'],
    [
      'region typo, not resealed',
      corrupt(COMPANY, 7, '7', false),
      'SUBJECT.INVALID_USCC_CHECKSUM',
      'checksum',
    ],
  ])('rejects %s', (_case, raw, code, rule) => {
    const result = validateUscc(raw);
    expect(result).toMatchObject({ ok: false, code, rule });
    if (!result.ok) expect(result.message).toMatch(/^\p{Script=Han}.* \/ [a-z]/u);
  });

  describe('allow-list of pilot codes', () => {
    const badCheck = corrupt(COMPANY, 17, 'F', false);
    const badOrgCode = '91330106MA2H7QK4XQ';
    const allowList: ReadonlySet<string> = new Set([badCheck, badOrgCode]);

    it('accepts an allow-listed code that fails the checksum, marked pilot', () => {
      expect(validateUscc(badCheck, { allowList })).toMatchObject({ ok: true, value: badCheck, pilot: true });
    });

    it('accepts an allow-listed code whose organization code fails, marked pilot', () => {
      expect(validateUscc(badOrgCode, { allowList })).toEqual({
        ok: true,
        value: badOrgCode,
        registrationAuthority: '9',
        category: '1',
        region: '330106',
        organizationCode: 'MA2H7QK4X',
        pilot: true,
      });
    });

    it('matches after normalization', () => {
      expect(validateUscc('９１３３０１０６ma2h7qk4-xq', { allowList })).toMatchObject({
        ok: true,
        pilot: true,
      });
    });

    it('does not mark a valid code as pilot even when it is listed', () => {
      const result = validateUscc(COMPANY, { allowList: new Set([COMPANY]) });
      expect(result).toMatchObject({ ok: true });
      expect(result).not.toHaveProperty('pilot');
    });

    it('still rejects a code that is not listed', () => {
      const other = corrupt(makeUscc('92', '330106', '12345678'), 17, '0', false);
      expect(validateUscc(other, { allowList })).toMatchObject({ code: 'SUBJECT.INVALID_USCC_CHECKSUM' });
    });

    it.each([
      ['length', COMPANY.slice(0, 17), 'SUBJECT.INVALID_USCC_LENGTH'],
      ['character', corrupt(COMPANY, 9, 'I', false), 'SUBJECT.INVALID_USCC_CHARACTER'],
      ['authority', corrupt(COMPANY, 0, 'B', false), 'SUBJECT.INVALID_USCC_AUTHORITY'],
      ['category', corrupt(COMPANY, 1, '4', false), 'SUBJECT.INVALID_USCC_CATEGORY'],
      ['region', corrupt(COMPANY, 2, '0', false), 'SUBJECT.INVALID_USCC_REGION'],
    ])('never waives the %s rule', (_rule, raw, code) => {
      expect(validateUscc(raw, { allowList: new Set([raw]) })).toMatchObject({ ok: false, code });
    });
  });
});

describe('validateUscc orgCodeCheck', () => {
  // DOMAIN.md's example: the 18th check character is right, the embedded organization code's is not
  const example = '91330106MA2H7QK4XQ';

  it('rejects a wrong embedded organization code by default', () => {
    expect(validateUscc(example)).toMatchObject({ ok: false, code: 'SUBJECT.INVALID_USCC_ORG_CODE' });
  });

  it('accepts it flagged when asked to flag', () => {
    expect(validateUscc(example, { orgCodeCheck: 'flag' })).toMatchObject({
      ok: true,
      orgCodeMismatch: true,
    });
  });

  it('still rejects a wrong 18th check character when flagging', () => {
    expect(validateUscc('91330106MA2H7QK4XA', { orgCodeCheck: 'flag' })).toMatchObject({
      ok: false,
      code: 'SUBJECT.INVALID_USCC_ORG_CODE',
    });
  });
});
