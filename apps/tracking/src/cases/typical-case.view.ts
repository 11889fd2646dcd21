import { publicSubject } from '@credit/identifiers';
import { CaseEntry, TypicalCaseRow } from './typical-case.store';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * A period as people read it (decision 0033): an open-ended one has no end date but `openEnded: true`
 * ("until the obligation is performed", 至履行义务之日止), never the 9999-12-31 that events carry.
 */
export function periodView(p: CaseEntry['period']) {
  return { from: p.from, to: p.openEnded ? null : p.to, openEnded: p.openEnded };
}

/** The full case, for the nominating department and the credit office: a read of personal data. */
export function toCaseView(c: TypicalCaseRow) {
  return {
    id: c.id,
    title: c.title,
    summary: c.summary,
    kind: c.kind,
    status: c.status,
    region: c.region,
    nominatingDept: c.nominatingDept,
    nominatedBy: c.nominatedBy,
    nominatedAt: c.nominatedAt.toISOString(),
    entryIds: c.entryIds,
    assignmentIds: c.assignmentIds,
    entries: c.entries.map((e) => ({ ...e, period: periodView(e.period) })),
    feedback: c.feedback,
    screening: c.screeningAt ? { by: c.screeningBy, at: iso(c.screeningAt) } : null,
    decision: c.decidedAt
      ? {
          by: c.decidedBy,
          at: iso(c.decidedAt),
          outcome: c.rejectionReason === null ? 'accepted' : 'rejected',
          note: c.decisionNote,
          reason: c.rejectionReason,
        }
      : null,
    publishedAt: iso(c.publishedAt),
    withdrawal: c.withdrawnAt ? { at: iso(c.withdrawnAt), reason: c.withdrawalReason } : null,
  };
}

/**
 * A person's name and ID number in the case's own words replaced by their masked forms, as the public
 * route (公示) shows the subject: the summary is written by staff and may name the person.
 */
export function maskText(text: string, entries: CaseEntry[]): string {
  let out = text;
  for (const { subject } of entries) {
    const shown = publicSubject(subject);
    if (!shown.masked) continue;
    if (subject.id) out = out.split(subject.id).join(shown.id);
    if (subject.name) out = out.split(subject.name).join(shown.name);
  }
  return out;
}

/** What the public sees of a published case: individuals masked, no feedback texts, no staff names. */
export function toPublicCaseView(c: TypicalCaseRow) {
  return {
    id: c.id,
    title: maskText(c.title, c.entries),
    summary: maskText(c.summary, c.entries),
    kind: c.kind,
    region: c.region,
    nominatingDept: c.nominatingDept,
    publishedAt: iso(c.publishedAt),
    entries: c.entries.map((e) => ({
      listType: e.listType.code,
      colour: e.listType.colour,
      ownerDept: e.ownerDept,
      subject: (({ kind, id, name }) => ({ kind, id, name }))(publicSubject(e.subject)),
      decision: e.decision,
      period: periodView(e.period),
      ...(e.ended ? { ended: { reason: e.ended.reason, at: e.ended.at } } : {}),
    })),
    measures: c.feedback.map((f) => ({
      dept: f.dept,
      measureCode: f.measure.code,
      measure: f.measure.text,
      enforcedAt: f.enforcedAt,
    })),
  };
}
