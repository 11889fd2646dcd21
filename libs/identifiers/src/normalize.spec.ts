import { normalizeIdentifier } from './normalize';

describe('normalizeIdentifier', () => {
  it.each([
    ['full-width digits and letters', '９１３３０１０６ＭＡ２Ｈ７ＱＫ４５Ｅ', '91330106MA2H7QK45E'],
    ['full-width lower case', 'ｍａ２ｈ７ｑｋ４５', 'MA2H7QK45'],
    ['lower case', '91330106ma2h7qk45e', '91330106MA2H7QK45E'],
    ['spaces', ' 9133 0106 MA2H 7QK4 5E ', '91330106MA2H7QK45E'],
    ['ideographic space', '9133\u30000106MA2H7QK45E', '91330106MA2H7QK45E'],
    ['tabs and newlines', '\t91330106\nMA2H7QK45E\r\n', '91330106MA2H7QK45E'],
    ['no-break space and BOM', '\ufeff91330106\u00a0MA2H7QK45E', '91330106MA2H7QK45E'],
    ['zero-width space from copy-paste', '91330106\u200bMA2H7QK45E', '91330106MA2H7QK45E'],
    ['ASCII hyphen', 'MA2H7QK4-5', 'MA2H7QK45'],
    ['en dash', 'MA2H7QK4\u20135', 'MA2H7QK45'],
    ['em dash', 'MA2H7QK4\u20145', 'MA2H7QK45'],
    ['full-width hyphen', 'MA2H7QK4\uff0d5', 'MA2H7QK45'],
    ['Unicode hyphen and minus sign', 'MA2H\u20107QK4\u22125', 'MA2H7QK45'],
    ['lower-case x check digit', '11010519491231002x', '11010519491231002X'],
    ['mixed full-width digits with half-width', '１１0105４９1231002', '110105491231002'],
    ['empty', '', ''],
    ['only separators', ' - \u3000 ', ''],
  ])('%s', (_case, raw, expected) => {
    expect(normalizeIdentifier(raw)).toBe(expected);
  });

  it('maps the whole full-width ASCII block U+FF01–U+FF5E', () => {
    expect(normalizeIdentifier('\uff01\uff5e')).toBe('!~');
  });

  it('leaves non-ASCII letters alone so they fail the charset check later', () => {
    // Turkish dotless ı would become ASCII I with a locale-unaware toUpperCase.
    expect(normalizeIdentifier('ı')).toBe('ı');
    expect(normalizeIdentifier('ß')).toBe('ß');
  });

  it('returns an identifier already in canonical form as it is', () => {
    expect(normalizeIdentifier('91330106MA2H7QK45E')).toBe('91330106MA2H7QK45E');
    expect(normalizeIdentifier('110105194912310021')).toBe('110105194912310021');
  });

  it('is idempotent', () => {
    const once = normalizeIdentifier(' ９１３３ ０１０６-ma2h7qk45e ');
    expect(normalizeIdentifier(once)).toBe(once);
  });
});
