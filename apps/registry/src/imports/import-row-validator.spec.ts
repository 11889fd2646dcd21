import { loadBundledCalendar } from '@credit/calendar';
import { computeIdNumberCheckCharacter } from '@credit/identifiers';
import { ListType } from '../list-types/list-type.entity';
import { SubjectRegistry } from '../subjects/subject-registry';
import { readHeader } from './import-columns';
import { ImportMode, ImportRejection, ImportRowValidator } from './import-row-validator';

const HEADER = [
  'subjectKind',
  'subjectId',
  'subjectName',
  'documentNo',
  'decisionDate',
  'facts',
  'periodFrom',
  'periodTo',
  'periodReason',
  'noticedAt',
  'noticeChannel',
];
const NOW = new Date('2026-12-03T04:00:00Z');
const court = {
  code: 'COURT_DEFAULTER',
  ownerDept: 'COURT',
  severity: 'serious',
  defaultPeriodDays: 730,
  subjectKinds: ['legal_person', 'individual'],
  noticeWorkingDays: 0,
  openEndedAllowed: true,
  extensionMinDays: 365,
  extensionMaxDays: 1095,
  maxExtensions: 1,
  excludedSubjects: ['minors'],
} as unknown as ListType;

const person = (yyyymmdd: string) => {
  const first17 = `330106${yyyymmdd}123`;
  return first17 + computeIdNumberCheckCharacter(first17);
};

function validator(mode: ImportMode) {
  return new ImportRowValidator(readHeader(HEADER), {
    listType: court,
    mode,
    createdBy: 'court-user',
    subjects: new SubjectRegistry(undefined as never, { orgCodeCheck: 'flag' }),
    allowList: new Set(),
    calendar: loadBundledCalendar(),
    now: NOW,
  });
}

function row(values: Partial<Record<(typeof HEADER)[number], string>>): string[] {
  const cells: Record<string, string> = {
    subjectKind: 'individual',
    subjectId: person('19800101'),
    subjectName: '张某',
    documentNo: 'd',
    decisionDate: '2026-11-02',
    facts: 'f',
    ...values,
  };
  return HEADER.map((h) => cells[h] ?? '');
}

const rejection = (result: unknown) => result as ImportRejection;

describe('import rows: periods and exits as the law sets them', () => {
  it('publish mode never presumes a notice: the time and the channel are required', () => {
    expect(rejection(validator('publish').validate(1, row({})))).toMatchObject({
      field: 'noticedAt',
      code: 'IMPORT.NOTICE_REQUIRED',
    });
    expect(
      rejection(validator('publish').validate(1, row({ noticedAt: '2026-11-03T10:00:00+08:00' }))),
    ).toMatchObject({ field: 'noticeChannel', code: 'IMPORT.NOTICE_REQUIRED' });
    expect(
      rejection(
        validator('publish').validate(
          1,
          row({ noticedAt: '2026-11-03T10:00:00+08:00', noticeChannel: 'fax' }),
        ),
      ),
    ).toMatchObject({ field: 'noticeChannel', code: 'VALIDATION.IS_IN' });
  });

  it('publish mode: the period counts from the decision date, with the notice the row gives', () => {
    const result = validator('publish').validate(
      1,
      row({ noticedAt: '2026-11-03T10:00:00+08:00', noticeChannel: 'post' }),
    );
    expect('entry' in result && result.entry).toMatchObject({
      status: 'published',
      periodFrom: new Date('2026-11-02T00:00:00+08:00'),
      noticeChannel: 'post',
      noticedAt: new Date('2026-11-03T10:00:00+08:00'),
    });
  });

  it('notice mode: the import is the notice, the statement period starts now', () => {
    const result = validator('notice').validate(1, row({ noticeChannel: 'sms' }));
    expect('entry' in result && result.entry).toMatchObject({
      status: 'noticed',
      noticedAt: NOW,
      noticeChannel: 'sms',
      periodFrom: null,
    });
  });

  it('a period from another day than the decision date needs periodReason', () => {
    const period = { periodFrom: '2026-11-10', periodTo: '2028-11-10' };
    expect(rejection(validator('draft').validate(1, row(period)))).toMatchObject({
      field: 'periodReason',
      code: 'LIST_ENTRY.PERIOD_START_NEEDS_REASON',
    });
    const result = validator('draft').validate(1, row({ ...period, periodReason: '判决生效日' }));
    expect('entry' in result && result.entry.periodReason).toBe('判决生效日');
  });

  it('minors are rejected with the reason', () => {
    expect(rejection(validator('draft').validate(1, row({ subjectId: person('20100315') })))).toMatchObject({
      field: 'subjectId',
      code: 'LIST_ENTRY.SUBJECT_EXCLUDED',
    });
  });
});
