import { DomainError } from '@credit/platform';
import { assertPeriodFitsSeverity, periodDays } from './severity';

describe('severity bands', () => {
  it.each([
    ['minor', 1],
    ['minor', 92],
    ['general', 90],
    ['general', 180],
    ['general', 366],
    ['serious', 365],
    ['serious', 730],
    ['serious', 1096],
  ] as const)('accepts a %s listing of %i days', (severity, days) => {
    expect(() => assertPeriodFitsSeverity(severity, days, 'period')).not.toThrow();
  });

  it.each([
    ['minor', 0],
    ['minor', 93],
    ['general', 89],
    ['general', 367],
    ['serious', 364],
    ['serious', 1097],
  ] as const)('refuses a %s listing of %i days with the field named', (severity, days) => {
    try {
      assertPeriodFitsSeverity(severity, days, 'period.to');
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({
        code: 'LIST_ENTRY.PERIOD_OUTSIDE_SEVERITY_BAND',
        status: 422,
        field: 'period.to',
      });
    }
  });

  it('counts whole days between two instants', () => {
    expect(periodDays(new Date('2026-01-01T00:00:00+08:00'), new Date('2027-01-01T00:00:00+08:00'))).toBe(
      365,
    );
  });
});
