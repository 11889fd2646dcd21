import {
  isPersonForPublic,
  maskIdNumberForPublic,
  maskPersonNameForPublic,
  publicSubject,
} from './public-masking';

describe('公示 masking (API.md "Public disclosure")', () => {
  it('masks an ID number as API.md shows: the first and last four characters stay', () => {
    expect(maskIdNumberForPublic('330106199001011234')).toBe('3301**********1234');
    expect(maskIdNumberForPublic('33010619900101123x')).toBe('3301**********123X');
    expect(maskIdNumberForPublic('330106900101123')).toBe('3301*******1123');
  });

  it("masks a person's name: the surname and one star per further character", () => {
    expect(maskPersonNameForPublic('张三')).toBe('张*');
    expect(maskPersonNameForPublic('欧阳娜娜')).toBe('欧***');
    expect(maskPersonNameForPublic('李')).toBe('李*');
    expect(maskPersonNameForPublic('')).toBe('');
  });

  it('shows a company in clear and masks an individual, and anyone known by an ID number', () => {
    expect(
      publicSubject({ kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '杭州某某科技有限公司' }),
    ).toEqual({
      kind: 'legal_person',
      id: '91330106MA2H7QK4XQ',
      name: '杭州某某科技有限公司',
      masked: false,
    });
    expect(publicSubject({ kind: 'individual', id: '330106199001011234', name: '张三' })).toEqual({
      kind: 'individual',
      id: '3301**********1234',
      name: '张*',
      masked: true,
    });
    expect(isPersonForPublic({ kind: 'individual_business', id: '330106199001011234' })).toBe(true);
    expect(isPersonForPublic({ kind: 'individual_business', id: '92330106MA2H7QK4XQ' })).toBe(false);
  });
});
