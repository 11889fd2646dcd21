import { ageOn, birthDateOfIdNumber } from './birth-date';

describe('age from the birth date in an ID number', () => {
  it('reads the birth date of an 18-digit number only', () => {
    expect(birthDateOfIdNumber('33010620100315123X')).toBe('2010-03-15');
    expect(birthDateOfIdNumber('330106100315123')).toBeUndefined();
    expect(birthDateOfIdNumber('91330106MA2H7QK4XQ')).toBeUndefined();
  });

  it.each([
    ['2008-12-03', '2026-12-02T15:59:59Z', 17], // 23:59:59 in Beijing on the day before the birthday
    ['2008-12-03', '2026-12-02T16:00:00Z', 18], // midnight in Beijing: the 18th birthday
    ['2008-02-29', '2026-02-28T00:00:00Z', 17],
    ['2008-02-29', '2026-02-28T16:00:00Z', 18], // 1 March in Beijing
  ])('born %s, on %s: %i', (birth, on, age) => {
    expect(ageOn(birth, new Date(on))).toBe(age);
  });
});
