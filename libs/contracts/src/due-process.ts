import { Static, Type } from '@sinclair/typebox';
import { END_REASONS } from './domain';
import { ListTypeRefV1, SubjectRefV1 } from './payloads';
import { Instant, OneOf, Opt, Text, Uuid } from './schema-types';

/*
 * The listed subject as a party (issue 13): 陈述申辩, 信用修复, 信用承诺 and the documents served.
 * Statement, repair and document events travel on `credit.list-entries` with the same key as the entry's
 * own events (the subject's identifier), so they stay in order with them; commitments travel on
 * `credit.commitments`, keyed by the subject's identifier too.
 */

/** Who filed something: the subject itself, the credit office's counter for it, or the owner's initiator. */
export const FILER_ROLES = ['subject', 'credit_office', 'initiator'] as const;
export type FilerRole = (typeof FILER_ROLES)[number];

export const FiledByV1 = Type.Object({
  role: OneOf(FILER_ROLES),
  /** the department of a counter clerk or initiator; absent for the subject */
  dept: Opt(Type.String()),
});
export type FiledByV1 = Static<typeof FiledByV1>;

/** 告知: the subject was told of a draft entry; the statement period runs to `statementDeadline`. */
export const ListEntryNoticedV1 = Type.Object({
  entryId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  subject: SubjectRefV1,
  channel: Type.String(),
  noticedAt: Instant(),
  statementDeadline: Instant(),
});
export type ListEntryNoticedV1 = Static<typeof ListEntryNoticedV1>;

/** 陈述申辩 received during the statement period; publishing waits until the owner answers it. */
export const StatementReceivedV1 = Type.Object({
  statementId: Uuid(),
  entryId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  subject: SubjectRefV1,
  filedBy: FiledByV1,
  receivedAt: Instant(),
});
export type StatementReceivedV1 = Static<typeof StatementReceivedV1>;

export const StatementAnsweredV1 = Type.Object({
  statementId: Uuid(),
  entryId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  subject: SubjectRefV1,
  accepted: Type.Boolean(),
  receivedAt: Instant(),
  answeredAt: Instant(),
});
export type StatementAnsweredV1 = Static<typeof StatementAnsweredV1>;

export const REPAIR_OUTCOMES = ['approved', 'rejected'] as const;
export type RepairOutcome = (typeof REPAIR_OUTCOMES)[number];

/** Fields every repair event carries. */
export const RepairEventBaseV1 = Type.Object({
  applicationId: Uuid(),
  entryId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  subject: SubjectRefV1,
  at: Instant(),
});
export type RepairEventBaseV1 = Static<typeof RepairEventBaseV1>;

/** 信用修复申请 submitted; the owner must accept (or ask for more material) by `acceptDeadline`. */
export const RepairSubmittedV1 = Type.Object({
  ...RepairEventBaseV1.properties,
  filedBy: FiledByV1,
  acceptDeadline: Instant(),
});
export type RepairSubmittedV1 = Static<typeof RepairSubmittedV1>;

/** The owner asked for more material: the acceptance clock pauses until the applicant supplies it. */
export const RepairMaterialRequestedV1 = Type.Object({
  ...RepairEventBaseV1.properties,
  missing: Type.Array(Type.String()),
});
export type RepairMaterialRequestedV1 = Static<typeof RepairMaterialRequestedV1>;

/** The applicant supplied the material asked for: the acceptance clock runs again to `acceptDeadline`. */
export const RepairMaterialSuppliedV1 = Type.Object({
  ...RepairEventBaseV1.properties,
  acceptDeadline: Instant(),
});
export type RepairMaterialSuppliedV1 = Static<typeof RepairMaterialSuppliedV1>;

/** Accepted (受理) on or after its deadline; the decision is due by `decideDeadline`. */
export const RepairAcceptedV1 = Type.Object({
  ...RepairEventBaseV1.properties,
  acceptDeadline: Instant(),
  decideDeadline: Instant(),
  onTime: Type.Boolean(),
});
export type RepairAcceptedV1 = Static<typeof RepairAcceptedV1>;

/** Decided: an approval ends the entry `repaired` (a `credit.list-entry.ended.v1` follows). */
export const RepairDecidedV1 = Type.Object({
  ...RepairEventBaseV1.properties,
  outcome: OneOf(REPAIR_OUTCOMES),
  decideDeadline: Instant(),
  onTime: Type.Boolean(),
});
export type RepairDecidedV1 = Static<typeof RepairDecidedV1>;

/** The applicant withdrew its repair application before the decision (撤回): no deadline runs any more. */
export const RepairWithdrawnV1 = Type.Object({
  ...RepairEventBaseV1.properties,
  withdrawnBy: FiledByV1,
});
export type RepairWithdrawnV1 = Static<typeof RepairWithdrawnV1>;

/** What was left open when an entry ended: 陈述申辩, 异议 or 信用修复申请. */
export const DUE_PROCESS_APPLICATION_KINDS = ['statement', 'objection', 'repair'] as const;
export type DueProcessApplicationKind = (typeof DUE_PROCESS_APPLICATION_KINDS)[number];

/**
 * An application left open when its entry ended for another reason (expiry, revocation, the owner's end,
 * a repair): closed `closed_entry_ended`, so its deadlines no longer count against the owner.
 */
export const DueProcessClosedV1 = Type.Object({
  kind: OneOf(DUE_PROCESS_APPLICATION_KINDS),
  /** the statement's, objection's or repair application's id */
  applicationId: Uuid(),
  entryId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  subject: SubjectRefV1,
  outcome: OneOf(['closed_entry_ended'] as const),
  /** why the entry ended */
  endReason: OneOf(END_REASONS),
  closedAt: Instant(),
});
export type DueProcessClosedV1 = Static<typeof DueProcessClosedV1>;

export const DOCUMENT_KINDS = [
  /** 认定决定书 / 列入决定 */
  'listing_decision',
  /** 信用修复告知书, served with the listing decision (两书同达) */
  'repair_notice',
  /** 信用修复决定书 */
  'repair_decision',
  /** 陈述申辩答复 */
  'statement_answer',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A document was generated, kept with the entry and served on the subject. */
export const DocumentIssuedV1 = Type.Object({
  documentId: Uuid(),
  entryId: Uuid(),
  kind: OneOf(DOCUMENT_KINDS),
  ownerDept: Type.String(),
  applicationId: Opt(Uuid()),
  title: Text(),
  issuedAt: Instant(),
  /** the statement a statement answer answers */
  statementId: Opt(Uuid()),
  /** 1 for the first document of its kind on the entry; a correction issues the next version */
  version: Opt(Type.Integer({ minimum: 1 })),
  /** the earlier version this one replaces (it stays downloadable, marked superseded) */
  supersedes: Opt(Uuid()),
});
export type DocumentIssuedV1 = Static<typeof DocumentIssuedV1>;

export const COMMITMENT_MATTERS = ['repair', 'licence', 'subsidy', 'other'] as const;
export type CommitmentMatter = (typeof COMMITMENT_MATTERS)[number];

/** 信用承诺 recorded in the register. */
export const CommitmentRecordedV1 = Type.Object({
  commitmentId: Uuid(),
  subject: SubjectRefV1,
  matter: OneOf(COMMITMENT_MATTERS),
  /** the entry a repair commitment belongs to */
  entryId: Opt(Uuid()),
  recordedByDept: Type.String(),
  recordedAt: Instant(),
});
export type CommitmentRecordedV1 = Static<typeof CommitmentRecordedV1>;

/** 守信: a commitment was kept (the matter it was made for is settled without a breach). */
export const CommitmentKeptV1 = Type.Object({
  commitmentId: Uuid(),
  subject: SubjectRefV1,
  matter: OneOf(COMMITMENT_MATTERS),
  entryId: Opt(Uuid()),
  recordedByDept: Type.String(),
  keptAt: Instant(),
});
export type CommitmentKeptV1 = Static<typeof CommitmentKeptV1>;

/** 失信承诺: a commitment was broken; `newEntryId` names the entry listed on that basis, if any. */
export const CommitmentBrokenV1 = Type.Object({
  commitmentId: Uuid(),
  subject: SubjectRefV1,
  matter: OneOf(COMMITMENT_MATTERS),
  entryId: Opt(Uuid()),
  newEntryId: Opt(Uuid()),
  recordedByDept: Type.String(),
  brokenAt: Instant(),
});
export type CommitmentBrokenV1 = Static<typeof CommitmentBrokenV1>;
