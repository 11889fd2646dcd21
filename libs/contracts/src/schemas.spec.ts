import { EventTypes } from './event-types';
import { validateEventData } from './schemas';

const listEntryPublished = () => ({
  entryId: '3b241101-e2bb-4255-8caf-4136c566a962',
  listType: { code: 'SAMR-SERIOUS-ILLEGAL', colour: 'black' },
  ownerDept: 'SAMR',
  subject: { kind: 'legal_person', id: '91350100M000100Y43', name: '某某有限公司' },
  relatedPersons: [
    { role: 'legal_representative', kind: 'individual', id: '11010519491231002X', name: '张三' },
  ],
  decision: { documentNo: '市监罚〔2024〕12号', date: '2024-02-01' },
  period: { from: '2024-03-01T00:00:00Z', to: '2027-03-01T00:00:00Z' },
  publishedAt: '2024-03-01T08:00:00Z',
});

const fields = (violations: { field: string }[] | undefined) => violations?.map((v) => v.field);

describe('validateEventData', () => {
  it('passes a valid list-entry.published payload', () => {
    expect(validateEventData(EventTypes.listEntryPublished, listEntryPublished())).toEqual([]);
  });

  it('reports a missing nested field by its dotted path', () => {
    const data = listEntryPublished();
    delete (data.subject as Partial<typeof data.subject>).id;

    const violations = validateEventData(EventTypes.listEntryPublished, data);

    expect(fields(violations)).toContain('subject.id');
    expect(violations).toContainEqual(
      expect.objectContaining({ field: 'subject.id', constraint: 'isString' }),
    );
  });

  it('reports a bad element of a list with its index', () => {
    const data = listEntryPublished();
    data.relatedPersons[0].kind = 'robot';

    expect(fields(validateEventData(EventTypes.listEntryPublished, data))).toEqual(['relatedPersons.0.kind']);
  });

  it('reports a missing entryId', () => {
    const { entryId: _entryId, ...data } = listEntryPublished();

    expect(fields(validateEventData(EventTypes.listEntryPublished, data))).toEqual(['entryId']);
  });

  it('reports a nested object that is missing altogether', () => {
    const { subject: _subject, period: _period, ...data } = listEntryPublished();

    expect(fields(validateEventData(EventTypes.listEntryPublished, data))).toEqual(
      expect.arrayContaining(['subject', 'period']),
    );
  });

  it.each([null, 'text', [1, 2]])('refuses data that is not an object: %p', (data) => {
    expect(validateEventData(EventTypes.listEntryPublished, data)).toEqual([
      { field: 'data', constraint: 'isObject', message: 'data must be a JSON object' },
    ]);
  });

  it('gives undefined for a type without a schema', () => {
    expect(validateEventData('credit.unknown.v1', { anything: true })).toBeUndefined();
    expect(validateEventData('credit.list-entry.published.v2', listEntryPublished())).toBeUndefined();
  });
  it('refuses data class-transformer cannot copy, instead of throwing', () => {
    const data = { ...listEntryPublished(), entryId: JSON.parse('{"constructor": "x"}') as object };
    expect(validateEventData(EventTypes.listEntryPublished, data)).toEqual([
      expect.objectContaining({ field: 'data', constraint: 'readable' }),
    ]);
  });
});
