import type {
  EndReason,
  PublicationPublishedV1,
  PublicationWithdrawnV1,
  Severity,
  InfoClass,
  WithdrawalReason,
} from '@credit/contracts';
import { publicSubject } from '@credit/identifiers';

/** What decides whether a list type's entries are on public display. */
export interface PublicationTerms {
  infoClass: InfoClass;
  severity: Severity;
  /** a minor-severity list type is published only when it says so */
  publishMinor: boolean;
}

/**
 * 公示: class-A entries are public (信用信息分类 A 社会公开); a list type of minor severity (轻微失信) is
 * not published unless it says so.
 */
export function isOnPublicDisplay(terms: PublicationTerms): boolean {
  return terms.infoClass === 'A' && (terms.severity !== 'minor' || terms.publishMinor);
}

const WITHDRAWAL_OF: Readonly<Record<EndReason, WithdrawalReason>> = {
  expired: 'ended',
  repaired: 'repaired',
  revoked: 'revoked',
  corrected: 'corrected',
  // the origin region revoked it: to a mirror, our publication is revoked (decision 0035)
  withdrawn_by_origin: 'revoked',
};

/** Why an entry's end withdraws its publication (终止公示). */
export function withdrawalReasonOf(reason: EndReason): WithdrawalReason {
  return WITHDRAWAL_OF[reason];
}

/** What the public record of an entry is built from (the entry, its list type and owner). */
export interface PublicationSource {
  entryId: string;
  listType: {
    code: string;
    name: string;
    colour: PublicationPublishedV1['listType']['colour'];
    severity: Severity;
  };
  ownerDept: { code: string; name: string };
  subject: { kind: PublicationPublishedV1['subject']['kind']; id: string; name: string };
  decision: { documentNo: string; date: string };
  /** an open-ended period has `to: null` and `openEnded` (decision 0033) */
  period: { from: Date; to: Date | null; openEnded?: boolean };
  publishedAt: Date;
}

/** The public record (and `credit.publication.published.v1` payload): the subject masked if a person. */
export function publishedRecord(source: PublicationSource, revision: number): PublicationPublishedV1 {
  const subject = publicSubject(source.subject);
  return {
    entryId: source.entryId,
    revision,
    listType: { ...source.listType },
    ownerDept: { ...source.ownerDept },
    subject: { ...subject, kind: source.subject.kind },
    decision: { documentNo: source.decision.documentNo, date: source.decision.date },
    // as the entry view shows it: an open-ended period has no end date but says so, never 9999-12-31
    period: source.period.openEnded
      ? { from: source.period.from.toISOString(), to: null, openEnded: true }
      : {
          from: source.period.from.toISOString(),
          ...(source.period.to ? { to: source.period.to.toISOString() } : {}),
        },
    publishedAt: source.publishedAt.toISOString(),
  };
}

/** The withdrawal of a public record (`credit.publication.withdrawn.v1` payload). */
export function withdrawnRecord(
  record: PublicationPublishedV1,
  reason: WithdrawalReason,
  at: Date,
): PublicationWithdrawnV1 {
  return {
    entryId: record.entryId,
    revision: record.revision,
    listType: record.listType,
    ownerDept: record.ownerDept,
    subject: record.subject,
    reason,
    withdrawnAt: at.toISOString(),
  };
}
