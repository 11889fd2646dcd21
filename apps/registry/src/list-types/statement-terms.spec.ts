import { DomainError } from '@credit/platform';
import { assertStatementTerms, minStatementWorkingDaysOf, statementWorkingDaysOf } from './statement-terms';

const code = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as DomainError).code;
  }
};

describe('statement terms of a list type', () => {
  it('gives a serious black list 5 working days by default, every other list none', () => {
    const t = { noticeWorkingDays: 0, minStatementWorkingDays: null };
    expect(minStatementWorkingDaysOf({ ...t, colour: 'black', severity: 'serious' })).toBe(5);
    expect(minStatementWorkingDaysOf({ ...t, colour: 'black', severity: 'general' })).toBe(0);
    expect(minStatementWorkingDaysOf({ ...t, colour: 'red', severity: 'serious' })).toBe(0);
    expect(
      minStatementWorkingDaysOf({ ...t, colour: 'black', severity: 'serious', minStatementWorkingDays: 0 }),
    ).toBe(0);
  });

  it('never gives less than the minimum at notice, even to a type defined before it', () => {
    expect(
      statementWorkingDaysOf({
        colour: 'black',
        severity: 'serious',
        noticeWorkingDays: 2,
        minStatementWorkingDays: null,
      }),
    ).toBe(5);
    expect(
      statementWorkingDaysOf({
        colour: 'black',
        severity: 'general',
        noticeWorkingDays: 7,
        minStatementWorkingDays: null,
      }),
    ).toBe(7);
  });

  it.each([
    ['serious black, 5 days', { noticeWorkingDays: 5 }, 'ok'],
    ['serious black, 3 days', { noticeWorkingDays: 3 }, 'LIST_TYPE.STATEMENT_PERIOD_TOO_SHORT'],
    [
      'serious black, minimum 0 without a reason',
      { noticeWorkingDays: 0, minStatementWorkingDays: 0 },
      'LIST_TYPE.STATEMENT_MINIMUM_NEEDS_REASON',
    ],
    [
      'serious black, minimum 0 with a reason',
      { noticeWorkingDays: 0, minStatementWorkingDays: 0, minStatementReason: '司法程序送达' },
      'ok',
    ],
    [
      'serious black, minimum 10 but notice 5',
      { noticeWorkingDays: 5, minStatementWorkingDays: 10 },
      'LIST_TYPE.STATEMENT_PERIOD_TOO_SHORT',
    ],
    ['general black, 0 days', { severity: 'general' as const, noticeWorkingDays: 0 }, 'ok'],
  ])('%s → %s', (_name, input, expected) => {
    expect(
      code(() =>
        assertStatementTerms({
          colour: 'black',
          severity: 'serious',
          minStatementWorkingDays: null,
          ...input,
        }),
      ),
    ).toBe(expected);
  });
});
