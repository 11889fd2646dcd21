import { AssignmentTargetV1, ListEntryPublishedV1 } from '@credit/contracts';
import { Measure } from '../memoranda/measure.entity';

/**
 * Whom a measure reaches for an entry (API.md): the listed subject itself, or — for a measure with
 * related roles — the subject's related persons in those roles, instead of the subject.
 */
export function resolveTargets(
  measure: Pick<Measure, 'relatedRoles' | 'subjectKinds'>,
  entry: Pick<ListEntryPublishedV1, 'subject' | 'relatedPersons'>,
): AssignmentTargetV1[] {
  if (!measure.subjectKinds.includes(entry.subject.kind)) return [];
  if (measure.relatedRoles.length === 0) {
    return [{ id: entry.subject.id, kind: entry.subject.kind, name: entry.subject.name }];
  }
  const seen = new Set<string>();
  return entry.relatedPersons
    .filter((p) => measure.relatedRoles.includes(p.role))
    .filter((p) => !seen.has(p.id) && seen.add(p.id))
    .map((p) => ({ id: p.id, kind: p.kind, role: p.role, name: p.name }));
}
