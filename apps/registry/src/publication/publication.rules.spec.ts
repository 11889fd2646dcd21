import { EventTypes, validateEventData } from '@credit/contracts';
import {
  isOnPublicDisplay,
  publishedRecord,
  PublicationSource,
  withdrawalReasonOf,
  withdrawnRecord,
} from './publication.rules';

const source = (subject: PublicationSource['subject']): PublicationSource => ({
  entryId: '3b241101-e2bb-4255-8caf-4136c566a962',
  listType: { code: 'COURT_DEFAULTER', name: '失信被执行人', colour: 'black', severity: 'serious' },
  ownerDept: { code: 'COURT', name: '杭州市中级人民法院' },
  subject,
  decision: { documentNo: '(2026)浙0106执1号', date: '2026-10-01' },
  period: { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2028-10-01T00:00:00Z') },
  publishedAt: new Date('2026-10-02T08:00:00Z'),
});

describe('publication rules (公示)', () => {
  it.each([
    ['A', 'serious', false, true],
    ['A', 'general', false, true],
    ['A', 'minor', false, false],
    ['A', 'minor', true, true],
    ['B', 'serious', true, false],
    ['C', 'serious', true, false],
  ] as const)(
    'class %s, %s, publishMinor %s: on public display %s',
    (infoClass, severity, publishMinor, shown) => {
      expect(isOnPublicDisplay({ infoClass, severity, publishMinor })).toBe(shown);
    },
  );

  it('withdraws with the reason of the end: an expiry is `ended`', () => {
    expect(
      ['expired', 'repaired', 'revoked', 'corrected'].map((r) => withdrawalReasonOf(r as never)),
    ).toEqual(['ended', 'repaired', 'revoked', 'corrected']);
  });

  it("masks an individual's name and ID number in the record and its withdrawal; a company stays in clear", () => {
    const person = publishedRecord(source({ kind: 'individual', id: '330106199001011234', name: '张三' }), 1);
    expect(person.subject).toEqual({
      kind: 'individual',
      id: '3301**********1234',
      name: '张*',
      masked: true,
    });
    expect(JSON.stringify(person)).not.toContain('199001011234');
    expect(validateEventData(EventTypes.publicationPublished, person)).toEqual([]);
    const withdrawn = withdrawnRecord(person, 'repaired', new Date('2027-01-01T00:00:00Z'));
    expect(withdrawn.subject).toEqual(person.subject);
    expect(validateEventData(EventTypes.publicationWithdrawn, withdrawn)).toEqual([]);

    const company = publishedRecord(
      source({ kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '杭州某某科技有限公司' }),
      2,
    );
    expect(company.subject).toEqual({
      kind: 'legal_person',
      id: '91330106MA2H7QK4XQ',
      name: '杭州某某科技有限公司',
      masked: false,
    });
    expect(company.revision).toBe(2);
  });

  it('leaves out the end of an open-ended period', () => {
    const open = publishedRecord(
      {
        ...source({ kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: 'x' }),
        period: { from: new Date(0), to: null },
      },
      1,
    );
    expect(open.period).toEqual({ from: '1970-01-01T00:00:00.000Z' });
    expect(validateEventData(EventTypes.publicationPublished, open)).toEqual([]);
  });
});
