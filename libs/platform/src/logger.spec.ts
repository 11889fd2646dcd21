import { maskIdentifier, maskName } from './logger';

describe('maskIdentifier', () => {
  it('keeps the first four and last two characters of a unified social credit code', () => {
    expect(maskIdentifier('91350100M000100Y43')).toBe('9135************43');
  });

  it('keeps the length of a resident ID number', () => {
    const masked = maskIdentifier('11010519491231002X');

    expect(masked).toBe('1101************2X');
    expect(masked).toHaveLength(18);
  });

  it('hides a short identifier completely', () => {
    expect(maskIdentifier('123456')).toBe('******');
    expect(maskIdentifier('1234567')).toBe('1234*67');
  });

  it.each([null, undefined, ''])('gives an empty string for %p', (value) => {
    expect(maskIdentifier(value)).toBe('');
  });
});

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['张', '张*'],
    ['𠀀三', '𠀀*'], // a character outside the BMP counts once
  ])('masks %s as %s', (name, expected) => {
    expect(maskName(name)).toBe(expected);
  });

  it.each([null, undefined, ''])('gives an empty string for %p', (value) => {
    expect(maskName(value)).toBe('');
  });
});
