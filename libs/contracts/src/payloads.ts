import { Static, Type } from '@sinclair/typebox';
import {
  COLOURS,
  END_REASONS,
  ENFORCEMENT_MODES,
  INFO_CLASSES,
  MEASURE_KINDS,
  OBJECTION_OUTCOMES,
  RELATED_ROLES,
  SEVERITIES,
  SUBJECT_KINDS,
} from './domain';
import { Instant, OneOf, Opt, Text, Uuid } from './schema-types';

/*
 * One schema per event type and version (decision 0043): a JSON Schema (TypeBox) that ajv compiles and
 * the consumer validates against where it reads, with the TypeScript type derived from it (Static).
 */

export const SubjectRefV1 = Type.Object({
  kind: OneOf(SUBJECT_KINDS),
  id: Text(),
  name: Opt(Type.String()),
  /** Legacy identifiers (organization code, registration number) that also name the subject. */
  legacyIds: Opt(
    Type.Array(Type.String(), {
      description: 'legacy identifiers (organization code, registration number) that also name the subject',
    }),
  ),
});
export type SubjectRefV1 = Static<typeof SubjectRefV1>;

export const RelatedPersonV1 = Type.Object({
  role: OneOf(RELATED_ROLES),
  kind: OneOf(SUBJECT_KINDS),
  id: Text(),
  name: Opt(Type.String()),
});
export type RelatedPersonV1 = Static<typeof RelatedPersonV1>;

export const ListTypeRefV1 = Type.Object({
  code: Text(),
  colour: OneOf(COLOURS),
  /** 信用信息分类: A public, B authorised query, C departments only */
  infoClass: Opt(OneOf(INFO_CLASSES, '信用信息分类: A public, B authorised query, C departments only')),
  severity: Opt(OneOf(SEVERITIES)),
});
export type ListTypeRefV1 = Static<typeof ListTypeRefV1>;

/**
 * The instant an open-ended period (until the obligation is performed) carries as its `to`, so that every
 * consumer comparing `now < to` keeps it in force without a contract change (decision 0033).
 */
export const OPEN_ENDED_UNTIL = '9999-12-31T23:59:59.999Z';

export const PeriodV1 = Type.Object({
  from: Instant(),
  /** `OPEN_ENDED_UNTIL` when `openEnded` */
  to: Instant(`${OPEN_ENDED_UNTIL} when openEnded`),
  /** in force until the obligation is performed (e.g. 失信被执行人 who can but will not perform) */
  openEnded: Opt(Type.Boolean({ description: 'in force until the obligation is performed' })),
});
export type PeriodV1 = Static<typeof PeriodV1>;

export const DecisionRefV1 = Type.Object({
  documentNo: Type.String(),
  date: Instant(),
  /** the amount the decision found (yuan: unpaid judgment debt, evaded tax, arrears), when it names one */
  amount: Opt(Type.Number({ minimum: 0, description: 'yuan, when the decision names an amount' })),
  /** the kind of violation (a code of the owner's, e.g. tax_invoice_fraud), when the decision names one */
  violationKind: Opt(Text('a code of the owner’s, e.g. tax_invoice_fraud')),
});
export type DecisionRefV1 = Static<typeof DecisionRefV1>;

/** Where an entry received from a partner region's platform comes from (区域联合奖惩, decision 0035). */
export const EntryOriginV1 = Type.Object({
  /** the origin's administrative region code (行政区划代码) */
  region: Text('the origin’s administrative region code (行政区划代码)'),
  platform: Text(),
  /** the entry's id on the origin's platform */
  originalId: Text('the entry’s id on the origin’s platform'),
});
export type EntryOriginV1 = Static<typeof EntryOriginV1>;

export const ListEntryPublishedV1 = Type.Object({
  entryId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  subject: SubjectRefV1,
  relatedPersons: Type.Array(RelatedPersonV1),
  decision: DecisionRefV1,
  period: PeriodV1,
  publishedAt: Instant(),
  /** 失信承诺: the broken commitment this entry was listed on, if any (issue 13) */
  basisCommitmentId: Opt(Uuid('the broken commitment this entry was listed on, if any')),
  /** received from a partner region (decision 0035): where from */
  origin: Opt(EntryOriginV1),
  /**
   * When present, only these measures (codes) may reach the entry: what a recognition agreement with the
   * origin region applies locally (decision 0035). Absent: every applicable measure, as before.
   */
  recognisedMeasures: Opt(
    Type.Array(Type.String(), { description: 'when present, only these measures may reach the entry' }),
  ),
});
export type ListEntryPublishedV1 = Static<typeof ListEntryPublishedV1>;

export const ListEntryEndedV1 = Type.Object({
  entryId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  subject: SubjectRefV1,
  reason: OneOf(END_REASONS),
  note: Opt(Type.String()),
  endedAt: Instant(),
});
export type ListEntryEndedV1 = Static<typeof ListEntryEndedV1>;

export const MeasureSnapshotV1 = Type.Object({
  code: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  memorandumCode: Type.String(),
  text: Type.String(),
  kind: OneOf(MEASURE_KINDS),
  mode: OneOf(ENFORCEMENT_MODES),
  actions: Type.Array(Type.String(), { minItems: 1 }),
  legalBasis: Type.String(),
  feedbackWorkingDays: Type.Integer({ minimum: 0 }),
});
export type MeasureSnapshotV1 = Static<typeof MeasureSnapshotV1>;

export const AssignmentTargetV1 = Type.Object({
  id: Text(),
  kind: OneOf(SUBJECT_KINDS),
  role: Opt(OneOf(RELATED_ROLES)),
  name: Opt(Type.String()),
});
export type AssignmentTargetV1 = Static<typeof AssignmentTargetV1>;

export const DELIVERY_CHANNELS = ['pull', 'webhook', 'stream'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** How the implementing department asked to receive its assignments; `subscribed: false` when it never did. */
export const DeliveryV1 = Type.Object(
  {
    subscribed: Type.Boolean(),
    channel: OneOf(DELIVERY_CHANNELS),
    webhookUrl: Opt(Type.String()),
  },
  { description: 'how the implementing department asked to receive its assignments' },
);
export type DeliveryV1 = Static<typeof DeliveryV1>;

export const AssignmentIssuedV1 = Type.Object({
  assignmentId: Uuid(),
  entryId: Uuid(),
  dept: Type.String(),
  measure: MeasureSnapshotV1,
  listType: ListTypeRefV1,
  subject: SubjectRefV1,
  target: AssignmentTargetV1,
  period: PeriodV1,
  issuedAt: Instant(),
  feedbackDeadline: Instant(),
  delivery: Opt(DeliveryV1),
  /** 0 at first issue; +1 each time a correction of the entry re-issues it (the old one is lifted) */
  generation: Opt(Type.Integer({ minimum: 0, description: '0 at first issue; +1 at each re-issue' })),
});
export type AssignmentIssuedV1 = Static<typeof AssignmentIssuedV1>;

/**
 * 触发完成: trigger fanned an entry out (a publication, or a correction's re-issue as the next generation).
 * `issued` assignments were issued in that transaction; 0 is a legitimate answer (no measure applies).
 * Lets tracking tell "no assignment was due" from "the assignments never arrived".
 */
export const AssignmentsFannedOutV1 = Type.Object({
  entryId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  generation: Type.Integer({ minimum: 0 }),
  /** measures that applied to the entry */
  measures: Type.Integer({ minimum: 0, description: 'measures that applied to the entry' }),
  /** assignments issued (a measure may reach several targets; an existing one is not issued again) */
  issued: Type.Integer({ minimum: 0, description: 'assignments issued in that transaction' }),
  at: Instant(),
});
export type AssignmentsFannedOutV1 = Static<typeof AssignmentsFannedOutV1>;

/** Paused (an objection is open on a list type that suspends) or resumed. */
export const AssignmentPausedV1 = Type.Object({
  assignmentId: Uuid(),
  entryId: Uuid(),
  dept: Type.String(),
  reason: Type.String(),
  at: Instant(),
});
export type AssignmentPausedV1 = Static<typeof AssignmentPausedV1>;

export const AssignmentLiftedV1 = Type.Object({
  assignmentId: Uuid(),
  entryId: Uuid(),
  dept: Type.String(),
  target: AssignmentTargetV1,
  reason: Type.String(),
  liftedAt: Instant(),
});
export type AssignmentLiftedV1 = Static<typeof AssignmentLiftedV1>;

/** Common part of every feedback event: which assignment, which department, who. */
const feedbackBase = {
  assignmentId: Uuid(),
  entryId: Uuid(),
  dept: Type.String(),
  actor: Type.String(),
  at: Instant(),
};
export const FeedbackBaseV1 = Type.Object(feedbackBase);
export type FeedbackBaseV1 = Static<typeof FeedbackBaseV1>;

export const FeedbackAcknowledgedV1 = Type.Object(feedbackBase);
export type FeedbackAcknowledgedV1 = Static<typeof FeedbackAcknowledgedV1>;

export const FeedbackEnforcedV1 = Type.Object({
  ...feedbackBase,
  detail: Text(),
  reference: Opt(Type.String()),
});
export type FeedbackEnforcedV1 = Static<typeof FeedbackEnforcedV1>;

export const FeedbackNotApplicableV1 = Type.Object({ ...feedbackBase, detail: Text() });
export type FeedbackNotApplicableV1 = Static<typeof FeedbackNotApplicableV1>;

export const FeedbackLiftConfirmedV1 = Type.Object(feedbackBase);
export type FeedbackLiftConfirmedV1 = Static<typeof FeedbackLiftConfirmedV1>;

export const ListEntryObjectionOpenedV1 = Type.Object({
  entryId: Uuid(),
  objectionId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  subject: SubjectRefV1,
  /** the list type suspends its measures while an objection is open */
  suspendMeasures: Type.Boolean({ description: 'the list type suspends its measures while it is open' }),
  deadline: Instant(),
  openedAt: Instant(),
});
export type ListEntryObjectionOpenedV1 = Static<typeof ListEntryObjectionOpenedV1>;

export const ListEntryObjectionResolvedV1 = Type.Object({
  entryId: Uuid(),
  objectionId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  subject: SubjectRefV1,
  outcome: OneOf(OBJECTION_OUTCOMES),
  suspendMeasures: Type.Boolean(),
  resolvedAt: Instant(),
});
export type ListEntryObjectionResolvedV1 = Static<typeof ListEntryObjectionResolvedV1>;

export const PeriodExtensionV1 = Type.Object({
  documentNo: Type.String(),
  date: Instant(),
  days: Type.Integer({ minimum: 1 }),
});
export type PeriodExtensionV1 = Static<typeof PeriodExtensionV1>;

/** A correction of a published entry (facts or period) after an objection or on the department's own finding. */
export const ListEntryAmendedV1 = Type.Object({
  entryId: Uuid(),
  listType: ListTypeRefV1,
  ownerDept: Type.String(),
  subject: SubjectRefV1,
  period: PeriodV1,
  previousPeriod: PeriodV1,
  changed: Type.Array(Type.String()),
  reason: Type.String(),
  amendedAt: Instant(),
  /** set when the amendment extends the period (延长公示期), with the document that decided it */
  extension: Opt(PeriodExtensionV1),
});
export type ListEntryAmendedV1 = Static<typeof ListEntryAmendedV1>;

export const CHECK_DECISIONS = ['block', 'warn', 'priority', 'allow'] as const;
export type CheckDecision = (typeof CHECK_DECISIONS)[number];
export const CHECK_STAGES = ['acceptance', 'approval', 'completion'] as const;
export type CheckStage = (typeof CHECK_STAGES)[number];

export const CheckHitAssignmentV1 = Type.Object({
  assignmentId: Uuid(),
  measureCode: Type.String(),
  dept: Type.String(),
  mode: OneOf(ENFORCEMENT_MODES),
});
export type CheckHitAssignmentV1 = Static<typeof CheckHitAssignmentV1>;

/** 核查命中: an embedded check found measures of an entry binding the subject for the action. */
export const CheckHitV1 = Type.Object({
  checkId: Uuid(),
  entryId: Uuid(),
  /** the department whose system asked */
  dept: Type.String({ description: 'the department whose system asked' }),
  actor: Type.String(),
  subjectId: Type.String(),
  action: Type.String(),
  stage: Opt(OneOf(CHECK_STAGES)),
  decision: OneOf(CHECK_DECISIONS),
  assignments: Type.Array(CheckHitAssignmentV1),
  at: Instant(),
});
export type CheckHitV1 = Static<typeof CheckHitV1>;

export const CHECK_OUTCOMES = ['applied', 'not_applied'] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

/** 核查处理: what the checking department did with a hit on an entry (its own assignments it hit). */
export const CheckDecidedV1 = Type.Object({
  checkId: Uuid(),
  entryId: Uuid(),
  /** the department whose system asked, and decided */
  dept: Type.String({ description: 'the department whose system asked, and decided' }),
  actor: Type.String(),
  action: Type.String(),
  outcome: OneOf(CHECK_OUTCOMES),
  reason: Opt(Type.String()),
  assignments: Type.Array(Uuid()),
  at: Instant(),
});
export type CheckDecidedV1 = Static<typeof CheckDecidedV1>;

export const OVERDUE_KINDS = ['acknowledgement', 'feedback'] as const;
export type OverdueKind = (typeof OVERDUE_KINDS)[number];

/** 逾期督办: an assignment missed its acknowledgement or feedback deadline (level 2: escalated again). */
export const TrackingOverdueV1 = Type.Object({
  assignmentId: Uuid(),
  entryId: Uuid(),
  dept: Type.String(),
  kind: OneOf(OVERDUE_KINDS),
  deadline: Instant(),
  level: OneOf([1, 2] as const, '2: escalated again'),
  at: Instant(),
});
export type TrackingOverdueV1 = Static<typeof TrackingOverdueV1>;

/** A department registered in the registry, with its region (行政区划代码), e.g. for statistics by region. */
export const DepartmentRegisteredV1 = Type.Object({
  code: Text(),
  name: Type.String(),
  region: Text('行政区划代码'),
  at: Instant(),
  /** May hold the supervisor and credit_office roles (absent in events before issue 12: false). */
  supervising: Opt(Type.Boolean({ description: 'may hold the supervisor and credit_office roles' })),
});
export type DepartmentRegisteredV1 = Static<typeof DepartmentRegisteredV1>;

/** One read of a subject's data (or of a route with personal data, `subjectId` absent). */
export const AccessRecordV1 = Type.Object({
  /** the caller (a person or system id; a subject's own identifier for role `subject`) */
  sub: Type.String({ description: 'the caller (a person or system id; the subject’s own identifier)' }),
  /** the caller's department; '' for a subject */
  dept: Type.String({ description: 'the caller’s department; empty for a subject' }),
  /** the caller's roles, comma-separated */
  role: Type.String({ description: 'the caller’s roles, comma-separated' }),
  subjectId: Opt(Type.String()),
  /** the route (`GET /v1/list-entries/:id`) or action read */
  what: Text('the route (GET /v1/list-entries/:id) or action read'),
  at: Instant(),
});
export type AccessRecordV1 = Static<typeof AccessRecordV1>;

/** 查询记录: reads of personal data in one service, batched (decision 0021). */
export const AccessRecordedV1 = Type.Object({
  service: Text(),
  records: Type.Array(AccessRecordV1),
});
export type AccessRecordedV1 = Static<typeof AccessRecordedV1>;

/**
 * 匿名化: an ended entry's personal data (subject and related persons' identifiers and names) was
 * replaced by `pseudonym` after its retention period; every service replaces its copies the same way.
 */
export const ListEntryAnonymisedV1 = Type.Object({
  entryId: Uuid(),
  /** what now stands for the subject's identifier in every copy (`anon:<uuid>`) */
  pseudonym: Text('what now stands for the subject’s identifier in every copy (anon:<uuid>)'),
  infoClass: Opt(OneOf(INFO_CLASSES)),
  /**
   * no entry that is not anonymised names the subject any more: copies kept by subject (check log,
   * access log, watch lists) are anonymised too
   */
  subjectAnonymised: Type.Boolean({ description: 'no entry that is not anonymised names the subject' }),
  endedAt: Instant(),
  at: Instant(),
});
export type ListEntryAnonymisedV1 = Static<typeof ListEntryAnonymisedV1>;

/** The allow-list of webhook hosts changed (enforcement owns it; trigger checks registrations with it). */
export const WebhookHostAllowedV1 = Type.Object({
  host: Text(),
  note: Type.String(),
  by: Type.String(),
  at: Instant(),
});
export type WebhookHostAllowedV1 = Static<typeof WebhookHostAllowedV1>;

export const WebhookHostDisallowedV1 = Type.Object({
  host: Text(),
  by: Type.String(),
  at: Instant(),
});
export type WebhookHostDisallowedV1 = Static<typeof WebhookHostDisallowedV1>;
