import { DomainError } from '@credit/platform';
import {
  assertRepairOverrideHasReason,
  earliestRepairDate,
  repairTermsOf,
  RepairTermsSource,
} from './repair-terms';

const base: RepairTermsSource = {
  severity: 'serious',
  repairable: true,
  minRepairDays: null,
  repairConditions: [],
  commitmentRequired: true,
  repairAcceptWorkingDays: 2,
  repairDecideWorkingDays: 5,
};

describe('repair terms (信用修复)', () => {
  it.each([
    ['minor', 0],
    ['general', 90],
    ['serious', 365],
  ] as const)('a %s list type waits %i days by default', (severity, days) => {
    expect(repairTermsOf({ ...base, severity }).minRepairDays).toBe(days);
  });

  it('an override replaces the default, and the standard checklist fills an empty one', () => {
    const terms = repairTermsOf({ ...base, minRepairDays: 30 });
    expect(terms.minRepairDays).toBe(30);
    expect(terms.conditions.map((c) => c.code)).toEqual(['obligations_performed', 'behaviour_corrected']);
    const own = repairTermsOf({ ...base, repairConditions: [{ code: 'fine_paid', text: '已缴纳罚款' }] });
    expect(own.conditions).toEqual([{ code: 'fine_paid', text: '已缴纳罚款' }]);
  });

  it('the earliest repair date counts from the start of publication', () => {
    const terms = repairTermsOf(base);
    const from = new Date('2026-01-10T00:00:00Z');
    expect(earliestRepairDate(terms, { periodFrom: from, publishedAt: null })?.toISOString()).toBe(
      '2027-01-10T00:00:00.000Z',
    );
    expect(earliestRepairDate(terms, { periodFrom: null, publishedAt: null })).toBeNull();
    expect(
      earliestRepairDate({ ...terms, repairable: false }, { periodFrom: from, publishedAt: from }),
    ).toBeNull();
  });

  it('an override of the severity default needs a reason', () => {
    expect(() => assertRepairOverrideHasReason('serious', 100, undefined)).toThrow(DomainError);
    expect(() => assertRepairOverrideHasReason('serious', 100, '法律另有规定')).not.toThrow();
    expect(() => assertRepairOverrideHasReason('serious', 365, undefined)).not.toThrow();
    expect(() => assertRepairOverrideHasReason('serious', undefined, undefined)).not.toThrow();
  });
});
