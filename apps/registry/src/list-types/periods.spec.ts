import { DomainError } from '@credit/platform';
import {
  assertOpenEndedAllowed,
  assertPeriodNotOver,
  assertPeriodStartHasReason,
  assertSubjectNotExcluded,
  decisionDay,
  extendedPeriodTo,
  PeriodRules,
} from './periods';

const court: PeriodRules = {
  code: 'COURT_DEFAULTER',
  openEndedAllowed: true,
  extensionMinDays: 365,
  extensionMaxDays: 1095,
  maxExtensions: 1,
  excludedSubjects: ['minors'],
};
const fixed: PeriodRules = {
  ...court,
  code: 'TAX_MAJOR',
  openEndedAllowed: false,
  extensionMinDays: null,
  extensionMaxDays: null,
  excludedSubjects: [],
};

function refusal(run: () => void): DomainError {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

/** A valid-looking 18-digit number born on `yyyymmdd` (the rule reads the birth date only). */
const idBorn = (yyyymmdd: string) => `330106${yyyymmdd}1234`;

describe('periods as the law sets them', () => {
  it('the period counts from the decision date: midnight in Beijing', () => {
    expect(decisionDay('2026-10-01').toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });

  it('a period from another day than the decision date needs a reason', () => {
    const from = new Date('2026-10-08T00:00:00+08:00');
    expect(
      refusal(() => assertPeriodStartHasReason('2026-10-01', from, undefined, 'period.reason')),
    ).toMatchObject({ code: 'LIST_ENTRY.PERIOD_START_NEEDS_REASON', status: 422, field: 'period.reason' });
    expect(refusal(() => assertPeriodStartHasReason('2026-10-01', from, '  ', 'period.reason')).code).toBe(
      'LIST_ENTRY.PERIOD_START_NEEDS_REASON',
    );
    expect(() => assertPeriodStartHasReason('2026-10-01', from, '判决生效日', 'period.reason')).not.toThrow();
    // any time of the decision day (Beijing) is the decision date
    const sameDay = new Date('2026-10-01T15:00:00Z'); // 23:00 in Beijing
    expect(() => assertPeriodStartHasReason('2026-10-01', sameDay, undefined, 'period.reason')).not.toThrow();
  });

  it('a period already over at publication is refused', () => {
    const now = new Date('2026-12-03T00:00:00Z');
    expect(refusal(() => assertPeriodNotOver(new Date('2026-12-02T00:00:00Z'), now, 'period')).code).toBe(
      'LIST_ENTRY.PERIOD_OVER',
    );
    expect(() => assertPeriodNotOver(new Date('2026-12-04T00:00:00Z'), now, 'period')).not.toThrow();
  });

  it('an open-ended entry only on a list type that allows it', () => {
    expect(() => assertOpenEndedAllowed(court, 'openEnded')).not.toThrow();
    expect(refusal(() => assertOpenEndedAllowed(fixed, 'openEnded')).code).toBe(
      'LIST_ENTRY.OPEN_ENDED_NOT_ALLOWED',
    );
  });

  describe('extensions (the court list: two years, extendable by one to three)', () => {
    const periodTo = new Date('2028-10-01T00:00:00+08:00');
    const entry = { periodTo, openEnded: false, extensions: 0 };

    it('moves the end by the days within the bounds', () => {
      expect(extendedPeriodTo(court, entry, 365).toISOString()).toBe('2029-09-30T16:00:00.000Z');
      expect(extendedPeriodTo(court, entry, 1095).getTime()).toBe(periodTo.getTime() + 1095 * 86_400_000);
    });

    it.each([
      ['a non-extendable list type', fixed, entry, 365, 'LIST_ENTRY.NOT_EXTENDABLE'],
      ['an open-ended entry', court, { ...entry, openEnded: true }, 365, 'LIST_ENTRY.NOT_EXTENDABLE'],
      ['less than a year', court, entry, 364, 'LIST_ENTRY.EXTENSION_OUT_OF_RANGE'],
      ['more than three years', court, entry, 1096, 'LIST_ENTRY.EXTENSION_OUT_OF_RANGE'],
      ['a second extension', court, { ...entry, extensions: 1 }, 365, 'LIST_ENTRY.EXTENSION_LIMIT_REACHED'],
    ] as const)('refuses %s with 422', (_, rules, e, days, code) => {
      expect(refusal(() => extendedPeriodTo(rules, e, days))).toMatchObject({ code, status: 422 });
    });
  });

  describe('minors are excluded from the court list (birth date in the ID number)', () => {
    const now = new Date('2026-12-03T04:00:00Z');
    const excluded = (id: string, decisionDate = '2026-11-01', rules = court) =>
      assertSubjectNotExcluded(rules, { kind: 'individual', id }, decisionDate, now, 'subject.id');

    it('refuses a person under 18 on the decision date', () => {
      expect(refusal(() => excluded(idBorn('20090101')))).toMatchObject({
        code: 'LIST_ENTRY.SUBJECT_EXCLUDED',
        status: 422,
        field: 'subject.id',
      });
      // 18 now but 17 when the decision was made
      expect(refusal(() => excluded(idBorn('20081115'))).code).toBe('LIST_ENTRY.SUBJECT_EXCLUDED');
    });

    it('takes an adult, a company, and anyone on a list type without the exclusion', () => {
      expect(() => excluded(idBorn('20081101'))).not.toThrow(); // 18 on the decision day
      expect(() => excluded(idBorn('19800101'))).not.toThrow();
      expect(() =>
        assertSubjectNotExcluded(
          court,
          { kind: 'legal_person', id: '91330106MA2H7QK4XQ' },
          '2026-11-01',
          now,
          'x',
        ),
      ).not.toThrow();
      expect(() => excluded(idBorn('20150101'), '2026-11-01', fixed)).not.toThrow();
    });

    it('counts age on today when the decision date is later', () => {
      expect(refusal(() => excluded(idBorn('20081204'), '2027-01-01')).code).toBe(
        'LIST_ENTRY.SUBJECT_EXCLUDED',
      );
    });
  });
});
