import { EntityManager } from 'typeorm';
import { anonymiseDocument } from '@credit/contracts';
import { CaseEntry, CaseFeedback } from './typical-case.store';

/**
 * An anonymised entry (decision 0021) in the cases that copied it: the subject's identifiers become the
 * pseudonyms, its name is emptied, and the case's own words lose them too (the identifier replaced, the
 * name written `***`); the enforcement reports' free text on the entry is emptied, as in the trail.
 */
export async function anonymiseCases(
  manager: EntityManager,
  entryId: string,
  pseudonyms: ReadonlyMap<string, string>,
): Promise<void> {
  const cases: {
    id: string;
    title: string;
    summary: string;
    entries: CaseEntry[];
    feedback: CaseFeedback[];
  }[] = await manager.query(
    `SELECT id, title, summary, entries, feedback FROM tracking.typical_cases
     WHERE entry_ids @> ARRAY[$1::uuid] FOR UPDATE`,
    [entryId],
  );
  for (const c of cases) {
    const names = c.entries.filter((e) => e.entryId === entryId && e.subject.name).map((e) => e.subject.name);
    const scrub = (text: string) => {
      let out = text;
      for (const [old, anon] of pseudonyms) out = out.split(old).join(anon);
      for (const name of names) out = out.split(name).join('***');
      return out;
    };
    const entries = c.entries.map((e) =>
      e.entryId === entryId
        ? {
            ...e,
            subject: {
              kind: e.subject.kind,
              id: pseudonyms.get(e.subject.id) ?? e.subject.id,
              name: '',
            },
          }
        : e,
    );
    const feedback = c.feedback.map((f) =>
      f.entryId === entryId ? (anonymiseDocument(f, pseudonyms) as CaseFeedback) : f,
    );
    await manager.query(
      `UPDATE tracking.typical_cases SET title = $2, summary = $3, entries = $4, feedback = $5,
         updated_at = now() WHERE id = $1`,
      [c.id, scrub(c.title), scrub(c.summary), JSON.stringify(entries), JSON.stringify(feedback)],
    );
  }
}
