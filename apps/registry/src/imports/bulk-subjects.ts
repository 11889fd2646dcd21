import { randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
import { ImportCandidate, ImportRejection } from './import-row-validator';
import { SubjectErrors } from '../subjects/subject.errors';

interface StoredSubject {
  id: string;
  identifier: string;
  kind: string;
  name: string;
}

/**
 * `SubjectRegistry.upsert` for a batch of rows, set-based: new subjects are inserted in one statement,
 * the ones already registered are read (and locked) in one more, a row whose kind differs from the
 * registered one is refused, and changed names go to the name history as `upsert` does. Returns the rows
 * to keep.
 */
export async function upsertSubjects(
  client: PoolClient,
  candidates: ImportCandidate[],
  reject: (r: ImportRejection) => void,
): Promise<ImportCandidate[]> {
  if (candidates.length === 0) return candidates;
  // insert first: in the usual import most subjects are new, and then this is the only statement
  const inserted = await client.query<{ identifier: string }>(
    `INSERT INTO registry.subjects (id, kind, identifier, name, legacy_ids, flags)
     SELECT id, kind, identifier, name, string_to_array(legacy, ','), string_to_array(flags, ',')
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       AS t(id, kind, identifier, name, legacy, flags)
     ON CONFLICT (identifier) DO NOTHING
     RETURNING identifier`,
    [
      candidates.map(() => randomUUID()),
      candidates.map((c) => c.entry.subjectKind),
      candidates.map((c) => c.identifier.value),
      candidates.map((c) => c.entry.subjectName),
      candidates.map((c) => c.identifier.legacyIds.join(',')),
      candidates.map((c) => flagsOf(c).join(',')),
    ],
  );
  let known = new Map<string, StoredSubject>();
  if (inserted.rowCount !== candidates.length) {
    const fresh = new Set(inserted.rows.map((r) => r.identifier));
    known = await lockKnown(
      client,
      candidates.filter((c) => !fresh.has(c.identifier.value)).map((c) => c.identifier.value),
    );
  }

  const kept: ImportCandidate[] = [];
  const renamed: { subject: StoredSubject; candidate: ImportCandidate }[] = [];
  for (const c of candidates) {
    const subject = known.get(c.identifier.value);
    if (subject && subject.kind !== c.entry.subjectKind) {
      reject({
        row: c.row,
        field: 'subjectKind',
        code: SubjectErrors.KIND_MISMATCH.code,
        message: `subject ${c.identifier.value} is registered as ${subject.kind}, not ${c.entry.subjectKind} (主体类型不一致)`,
      });
      continue;
    }
    if (subject && subject.name !== c.entry.subjectName) renamed.push({ subject, candidate: c });
    kept.push(c);
  }
  if (renamed.length > 0) {
    await client.query(
      `INSERT INTO registry.subject_name_history (subject_id, name, replaced_at, source_entry_id)
       SELECT subject_id, name, now(), entry_id FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS t(subject_id, name, entry_id)`,
      [
        renamed.map((r) => r.subject.id),
        renamed.map((r) => r.subject.name),
        renamed.map((r) => r.candidate.entry.id),
      ],
    );
    await client.query(
      `UPDATE registry.subjects s SET name = t.name, updated_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS t(id, name) WHERE s.id = t.id`,
      [renamed.map((r) => r.subject.id), renamed.map((r) => r.candidate.entry.subjectName)],
    );
  }
  return kept;
}

async function lockKnown(client: PoolClient, identifiers: string[]): Promise<Map<string, StoredSubject>> {
  const { rows } = await client.query<StoredSubject>(
    `SELECT id, identifier, kind, name FROM registry.subjects WHERE identifier = ANY($1::text[])
     ORDER BY identifier FOR UPDATE`,
    [identifiers],
  );
  return new Map(rows.map((r) => [r.identifier, r]));
}

function flagsOf(c: ImportCandidate): string[] {
  return [
    ...(c.identifier.pilot ? ['pilot'] : []),
    ...(c.identifier.orgCodeMismatch ? ['org_code_mismatch'] : []),
  ];
}
