import { anonymiseDocument, entryPseudonyms } from './anonymise';

describe('anonymiseDocument', () => {
  it('replaces identifiers everywhere, drops names and legacy ids, empties free texts', () => {
    const pseudonyms = entryPseudonyms(
      'anon:1',
      ['91330106MA2H7QK4XQ', 'MA2H7QK4-X'],
      ['11010519491231002X'],
    );
    const data = {
      entryId: 'e-1',
      subject: { kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '某公司', legacyIds: ['MA2H7QK4-X'] },
      relatedPersons: [{ role: 'legal_representative', id: '11010519491231002X', name: '张三' }],
      target: { id: '11010519491231002X' },
      subjectId: '91330106MA2H7QK4XQ',
      note: '张三已履行',
      reason: 'repaired',
    };
    expect(anonymiseDocument(data, pseudonyms)).toEqual({
      entryId: 'e-1',
      subject: { kind: 'legal_person', id: 'anon:1' },
      relatedPersons: [{ role: 'legal_representative', id: 'anon:1:related-1' }],
      target: { id: 'anon:1:related-1' },
      subjectId: 'anon:1',
      note: '',
      reason: 'repaired',
    });
  });
});
