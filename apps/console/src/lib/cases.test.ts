import { describe, expect, it } from 'vitest';
import { actionsOf, CASE_TRANSITIONS, caseReportUrl, nominationOf } from './cases';

describe('typical cases in the console', () => {
  it('offers the steps the transition table allows, in the order of the process', () => {
    expect(actionsOf('submitted')).toEqual(['screen']);
    expect(actionsOf('screening')).toEqual(['accept', 'reject']);
    expect(actionsOf('accepted')).toEqual(['publish']);
    expect(actionsOf('rejected')).toEqual([]);
    expect(actionsOf('published')).toEqual(['withdraw']);
    expect(actionsOf('withdrawn')).toEqual(['publish']);
    // every target is a status of the table
    for (const moves of Object.values(CASE_TRANSITIONS))
      for (const to of Object.values(moves)) expect(Object.keys(CASE_TRANSITIONS)).toContain(to);
  });

  it('builds the nomination from the chosen assignments, each entry once', () => {
    const n = nominationOf(
      ['e1'],
      [
        { id: 'a1', entryId: 'e1', status: 'enforced' },
        { id: 'a2', entryId: 'e2', status: 'enforced' },
        { id: 'a3', entryId: 'e1', status: 'enforced' },
      ],
    );
    expect(n).toEqual({ entryIds: ['e1', 'e2'], assignmentIds: ['a1', 'a2', 'a3'], problems: [] });
  });

  it('names the field of an assignment without feedback, and an empty choice', () => {
    expect(nominationOf([], []).problems.map((p) => p.field)).toEqual(['entryIds', 'assignmentIds']);
    const n = nominationOf(
      ['e1'],
      [
        { id: 'a1', entryId: 'e1', status: 'enforced' },
        { id: 'a2', entryId: 'e1', status: 'acknowledged' },
      ],
    );
    expect(n.problems).toEqual([{ field: 'assignmentIds[1]', message: expect.stringContaining('尚未反馈') }]);
  });

  it('asks the export for the period, the kind and the format', () => {
    expect(caseReportUrl('xlsx', { from: '2026-01-01', to: '2026-12-31', kind: 'punishment' })).toBe(
      '/v1/reports/cases?from=2026-01-01&to=2026-12-31&kind=punishment&format=xlsx',
    );
    expect(caseReportUrl('csv', {})).toBe('/v1/reports/cases?format=csv');
  });
});
