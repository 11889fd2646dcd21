import { resolveTargets } from './resolve-targets';

const entry = {
  subject: { kind: 'legal_person' as const, id: '91330106MA2H7QK4XQ', name: '某公司' },
  relatedPersons: [
    {
      role: 'legal_representative' as const,
      kind: 'individual' as const,
      id: '330106199001011234',
      name: '张三',
    },
    { role: 'principal' as const, kind: 'individual' as const, id: '330106198502023456', name: '李四' },
  ],
};

describe('resolveTargets', () => {
  it('reaches the listed subject when the measure names no related roles', () => {
    expect(resolveTargets({ relatedRoles: [], subjectKinds: ['legal_person'] }, entry)).toEqual([
      { id: '91330106MA2H7QK4XQ', kind: 'legal_person', name: '某公司' },
    ]);
  });

  it('reaches the related persons in the named roles instead of the subject', () => {
    const targets = resolveTargets(
      { relatedRoles: ['legal_representative'], subjectKinds: ['legal_person'] },
      entry,
    );
    expect(targets).toEqual([
      { id: '330106199001011234', kind: 'individual', role: 'legal_representative', name: '张三' },
    ]);
  });

  it('reaches nobody when the subject kind is not covered', () => {
    expect(resolveTargets({ relatedRoles: [], subjectKinds: ['individual'] }, entry)).toEqual([]);
  });

  it('reaches nobody when the entry has no person in the role', () => {
    expect(
      resolveTargets(
        { relatedRoles: ['principal'], subjectKinds: ['legal_person'] },
        { ...entry, relatedPersons: [entry.relatedPersons[0]] },
      ),
    ).toEqual([]);
  });
});
