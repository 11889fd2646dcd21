/** Keys whose value is a person's or subject's name in the platform's documents. */
const NAME_KEYS = new Set(['name', 'subjectName', 'targetName']);
/** Free texts written about an entry that may name people. */
const FREE_TEXT_KEYS = new Set(['note', 'detail', 'statement', 'facts', 'reply']);

/**
 * The pseudonyms of an anonymised entry's identifiers (decision 0021): the subject's own identifiers
 * become `pseudonym`, related persons `pseudonym:related-1`, `-2` … in the order of their identifiers
 * (distinct, as a copy's unique keys need; the numbers are each copy's own).
 */
export function entryPseudonyms(
  pseudonym: string,
  subjectIds: readonly (string | null | undefined)[],
  relatedIds: readonly (string | null | undefined)[] = [],
): Map<string, string> {
  const map = new Map<string, string>();
  const subjects = new Set(subjectIds.filter((id): id is string => !!id));
  const related = [...new Set(relatedIds.filter((id): id is string => !!id && !subjects.has(id)))].sort();
  related.forEach((id, i) => map.set(id, `${pseudonym}:related-${i + 1}`));
  for (const id of subjects) map.set(id, pseudonym);
  return map;
}

/**
 * A copy of an event's data or a stored document with its personal data anonymised: identifiers replaced
 * by their pseudonyms wherever they appear, names removed, free texts emptied, legacy identifiers dropped.
 */
export function anonymiseDocument(value: unknown, pseudonyms: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return pseudonyms.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => anonymiseDocument(v, pseudonyms));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (NAME_KEYS.has(key) && typeof v === 'string') continue;
    if (key === 'legacyIds') continue;
    out[key] = FREE_TEXT_KEYS.has(key) && typeof v === 'string' ? '' : anonymiseDocument(v, pseudonyms);
  }
  return out;
}
