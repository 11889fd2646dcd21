import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  COLOURS,
  Colour,
  INFO_CLASSES,
  InfoClass,
  OBJECTION_OUTCOMES,
  ObjectionOutcome,
  SEVERITIES,
  Severity,
  END_REASONS,
  ENFORCEMENT_MODES,
  EndReason,
  EnforcementMode,
  MEASURE_KINDS,
  MeasureKind,
  RELATED_ROLES,
  RelatedRole,
  SUBJECT_KINDS,
  SubjectKind,
} from './domain';

/* One class per event type and version: the schema a consumer validates against where it reads. */

export class SubjectRefV1 {
  @IsIn(SUBJECT_KINDS) kind!: SubjectKind;
  @IsString() @MinLength(1) id!: string;
  @IsOptional() @IsString() name?: string;
  /** Legacy identifiers (organization code, registration number) that also name the subject. */
  @IsOptional() @IsArray() @IsString({ each: true }) legacyIds?: string[];
}

export class RelatedPersonV1 {
  @IsIn(RELATED_ROLES) role!: RelatedRole;
  @IsIn(SUBJECT_KINDS) kind!: SubjectKind;
  @IsString() @MinLength(1) id!: string;
  @IsOptional() @IsString() name?: string;
}

export class ListTypeRefV1 {
  @IsString() @MinLength(1) code!: string;
  @IsIn(COLOURS) colour!: Colour;
  /** 信用信息分类: A public, B authorised query, C departments only */
  @IsOptional() @IsIn(INFO_CLASSES) infoClass?: InfoClass;
  @IsOptional() @IsIn(SEVERITIES) severity?: Severity;
}

/**
 * The instant an open-ended period (until the obligation is performed) carries as its `to`, so that every
 * consumer comparing `now < to` keeps it in force without a contract change (decision 0033).
 */
export const OPEN_ENDED_UNTIL = '9999-12-31T23:59:59.999Z';

export class PeriodV1 {
  @IsISO8601() from!: string;
  /** `OPEN_ENDED_UNTIL` when `openEnded` */
  @IsISO8601() to!: string;
  /** in force until the obligation is performed (e.g. 失信被执行人 who can but will not perform) */
  @IsOptional() @IsBoolean() openEnded?: boolean;
}

export class DecisionRefV1 {
  @IsString() documentNo!: string;
  @IsISO8601() date!: string;
  /** the amount the decision found (yuan: unpaid judgment debt, evaded tax, arrears), when it names one */
  @IsOptional() @IsNumber() @Min(0) amount?: number;
  /** the kind of violation (a code of the owner's, e.g. tax_invoice_fraud), when the decision names one */
  @IsOptional() @IsString() @MinLength(1) violationKind?: string;
}

/** Where an entry received from a partner region's platform comes from (区域联合奖惩, decision 0035). */
export class EntryOriginV1 {
  /** the origin's administrative region code (行政区划代码) */
  @IsString() @MinLength(1) region!: string;
  @IsString() @MinLength(1) platform!: string;
  /** the entry's id on the origin's platform */
  @IsString() @MinLength(1) originalId!: string;
}

export class ListEntryPublishedV1 {
  @IsUUID() entryId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsArray() @ValidateNested({ each: true }) @Type(() => RelatedPersonV1) relatedPersons!: RelatedPersonV1[];
  @IsObject() @ValidateNested() @Type(() => DecisionRefV1) decision!: DecisionRefV1;
  @IsObject() @ValidateNested() @Type(() => PeriodV1) period!: PeriodV1;
  @IsISO8601() publishedAt!: string;
  /** 失信承诺: the broken commitment this entry was listed on, if any (issue 13) */
  @IsOptional() @IsUUID() basisCommitmentId?: string;
  /** received from a partner region (decision 0035): where from */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EntryOriginV1) origin?: EntryOriginV1;
  /**
   * When present, only these measures (codes) may reach the entry: what a recognition agreement with the
   * origin region applies locally (decision 0035). Absent: every applicable measure, as before.
   */
  @IsOptional() @IsArray() @IsString({ each: true }) recognisedMeasures?: string[];
}

export class ListEntryEndedV1 {
  @IsUUID() entryId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsIn(END_REASONS) reason!: EndReason;
  @IsOptional() @IsString() note?: string;
  @IsISO8601() endedAt!: string;
}

export class MeasureSnapshotV1 {
  @IsString() code!: string;
  @IsInt() @Min(1) version!: number;
  @IsString() memorandumCode!: string;
  @IsString() text!: string;
  @IsIn(MEASURE_KINDS) kind!: MeasureKind;
  @IsIn(ENFORCEMENT_MODES) mode!: EnforcementMode;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) actions!: string[];
  @IsString() legalBasis!: string;
  @IsInt() @Min(0) feedbackWorkingDays!: number;
}

export class AssignmentTargetV1 {
  @IsString() @MinLength(1) id!: string;
  @IsIn(SUBJECT_KINDS) kind!: SubjectKind;
  @IsOptional() @IsIn(RELATED_ROLES) role?: RelatedRole;
  @IsOptional() @IsString() name?: string;
}

export const DELIVERY_CHANNELS = ['pull', 'webhook', 'stream'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** How the implementing department asked to receive its assignments; `subscribed: false` when it never did. */
export class DeliveryV1 {
  @IsBoolean() subscribed!: boolean;
  @IsIn(DELIVERY_CHANNELS) channel!: DeliveryChannel;
  @IsOptional() @IsString() webhookUrl?: string;
}

export class AssignmentIssuedV1 {
  @IsUUID() assignmentId!: string;
  @IsUUID() entryId!: string;
  @IsString() dept!: string;
  @IsObject() @ValidateNested() @Type(() => MeasureSnapshotV1) measure!: MeasureSnapshotV1;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsObject() @ValidateNested() @Type(() => AssignmentTargetV1) target!: AssignmentTargetV1;
  @IsObject() @ValidateNested() @Type(() => PeriodV1) period!: PeriodV1;
  @IsISO8601() issuedAt!: string;
  @IsISO8601() feedbackDeadline!: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DeliveryV1) delivery?: DeliveryV1;
  /** 0 at first issue; +1 each time a correction of the entry re-issues it (the old one is lifted) */
  @IsOptional() @IsInt() @Min(0) generation?: number;
}

/**
 * 触发完成: trigger fanned an entry out (a publication, or a correction's re-issue as the next generation).
 * `issued` assignments were issued in that transaction; 0 is a legitimate answer (no measure applies).
 * Lets tracking tell "no assignment was due" from "the assignments never arrived".
 */
export class AssignmentsFannedOutV1 {
  @IsUUID() entryId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsInt() @Min(0) generation!: number;
  /** measures that applied to the entry */
  @IsInt() @Min(0) measures!: number;
  /** assignments issued (a measure may reach several targets; an existing one is not issued again) */
  @IsInt() @Min(0) issued!: number;
  @IsISO8601() at!: string;
}

/** Paused (an objection is open on a list type that suspends) or resumed. */
export class AssignmentPausedV1 {
  @IsUUID() assignmentId!: string;
  @IsUUID() entryId!: string;
  @IsString() dept!: string;
  @IsString() reason!: string;
  @IsISO8601() at!: string;
}

export class AssignmentLiftedV1 {
  @IsUUID() assignmentId!: string;
  @IsUUID() entryId!: string;
  @IsString() dept!: string;
  @IsObject() @ValidateNested() @Type(() => AssignmentTargetV1) target!: AssignmentTargetV1;
  @IsString() reason!: string;
  @IsISO8601() liftedAt!: string;
}

/** Common part of every feedback event: which assignment, which department, who. */
export class FeedbackBaseV1 {
  @IsUUID() assignmentId!: string;
  @IsUUID() entryId!: string;
  @IsString() dept!: string;
  @IsString() actor!: string;
  @IsISO8601() at!: string;
}

export class FeedbackAcknowledgedV1 extends FeedbackBaseV1 {}

export class FeedbackEnforcedV1 extends FeedbackBaseV1 {
  @IsString() @MinLength(1) detail!: string;
  @IsOptional() @IsString() reference?: string;
}

export class FeedbackNotApplicableV1 extends FeedbackBaseV1 {
  @IsString() @MinLength(1) detail!: string;
}

export class FeedbackLiftConfirmedV1 extends FeedbackBaseV1 {}

export class ListEntryObjectionOpenedV1 {
  @IsUUID() entryId!: string;
  @IsUUID() objectionId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  /** the list type suspends its measures while an objection is open */
  @IsBoolean() suspendMeasures!: boolean;
  @IsISO8601() deadline!: string;
  @IsISO8601() openedAt!: string;
}

export class ListEntryObjectionResolvedV1 {
  @IsUUID() entryId!: string;
  @IsUUID() objectionId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsIn(OBJECTION_OUTCOMES) outcome!: ObjectionOutcome;
  @IsBoolean() suspendMeasures!: boolean;
  @IsISO8601() resolvedAt!: string;
}

export class PeriodExtensionV1 {
  @IsString() documentNo!: string;
  @IsISO8601() date!: string;
  @IsInt() @Min(1) days!: number;
}

/** A correction of a published entry (facts or period) after an objection or on the department's own finding. */
export class ListEntryAmendedV1 {
  @IsUUID() entryId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsObject() @ValidateNested() @Type(() => PeriodV1) period!: PeriodV1;
  @IsObject() @ValidateNested() @Type(() => PeriodV1) previousPeriod!: PeriodV1;
  @IsArray() @IsString({ each: true }) changed!: string[];
  @IsString() reason!: string;
  @IsISO8601() amendedAt!: string;
  /** set when the amendment extends the period (延长公示期), with the document that decided it */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PeriodExtensionV1) extension?: PeriodExtensionV1;
}

export const CHECK_DECISIONS = ['block', 'warn', 'priority', 'allow'] as const;
export type CheckDecision = (typeof CHECK_DECISIONS)[number];
export const CHECK_STAGES = ['acceptance', 'approval', 'completion'] as const;
export type CheckStage = (typeof CHECK_STAGES)[number];

export class CheckHitAssignmentV1 {
  @IsUUID() assignmentId!: string;
  @IsString() measureCode!: string;
  @IsString() dept!: string;
  @IsIn(ENFORCEMENT_MODES) mode!: EnforcementMode;
}

/** 核查命中: an embedded check found measures of an entry binding the subject for the action. */
export class CheckHitV1 {
  @IsUUID() checkId!: string;
  @IsUUID() entryId!: string;
  /** the department whose system asked */
  @IsString() dept!: string;
  @IsString() actor!: string;
  @IsString() subjectId!: string;
  @IsString() action!: string;
  @IsOptional() @IsIn(CHECK_STAGES) stage?: CheckStage;
  @IsIn(CHECK_DECISIONS) decision!: CheckDecision;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CheckHitAssignmentV1)
  assignments!: CheckHitAssignmentV1[];
  @IsISO8601() at!: string;
}

export const CHECK_OUTCOMES = ['applied', 'not_applied'] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

/** 核查处理: what the checking department did with a hit on an entry (its own assignments it hit). */
export class CheckDecidedV1 {
  @IsUUID() checkId!: string;
  @IsUUID() entryId!: string;
  /** the department whose system asked, and decided */
  @IsString() dept!: string;
  @IsString() actor!: string;
  @IsString() action!: string;
  @IsIn(CHECK_OUTCOMES) outcome!: CheckOutcome;
  @IsOptional() @IsString() reason?: string;
  @IsArray() @IsUUID('all', { each: true }) assignments!: string[];
  @IsISO8601() at!: string;
}

export const OVERDUE_KINDS = ['acknowledgement', 'feedback'] as const;
export type OverdueKind = (typeof OVERDUE_KINDS)[number];

/** 逾期督办: an assignment missed its acknowledgement or feedback deadline (level 2: escalated again). */
export class TrackingOverdueV1 {
  @IsUUID() assignmentId!: string;
  @IsUUID() entryId!: string;
  @IsString() dept!: string;
  @IsIn(OVERDUE_KINDS) kind!: OverdueKind;
  @IsISO8601() deadline!: string;
  @IsIn([1, 2]) level!: 1 | 2;
  @IsISO8601() at!: string;
}

/** A department registered in the registry, with its region (行政区划代码), e.g. for statistics by region. */
export class DepartmentRegisteredV1 {
  @IsString() @MinLength(1) code!: string;
  @IsString() name!: string;
  @IsString() @MinLength(1) region!: string;
  @IsISO8601() at!: string;
  /** May hold the supervisor and credit_office roles (absent in events before issue 12: false). */
  @IsOptional() @IsBoolean() supervising?: boolean;
}

/** One read of a subject's data (or of a route with personal data, `subjectId` absent). */
export class AccessRecordV1 {
  /** the caller (a person or system id; a subject's own identifier for role `subject`) */
  @IsString() sub!: string;
  /** the caller's department; '' for a subject */
  @IsString() dept!: string;
  /** the caller's roles, comma-separated */
  @IsString() role!: string;
  @IsOptional() @IsString() subjectId?: string;
  /** the route (`GET /v1/list-entries/:id`) or action read */
  @IsString() @MinLength(1) what!: string;
  @IsISO8601() at!: string;
}

/** 查询记录: reads of personal data in one service, batched (decision 0021). */
export class AccessRecordedV1 {
  @IsString() @MinLength(1) service!: string;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AccessRecordV1)
  records!: AccessRecordV1[];
}

/**
 * 匿名化: an ended entry's personal data (subject and related persons' identifiers and names) was
 * replaced by `pseudonym` after its retention period; every service replaces its copies the same way.
 */
export class ListEntryAnonymisedV1 {
  @IsUUID() entryId!: string;
  /** what now stands for the subject's identifier in every copy (`anon:<uuid>`) */
  @IsString() @MinLength(1) pseudonym!: string;
  @IsOptional() @IsIn(INFO_CLASSES) infoClass?: InfoClass;
  /**
   * no entry that is not anonymised names the subject any more: copies kept by subject (check log,
   * access log, watch lists) are anonymised too
   */
  @IsBoolean() subjectAnonymised!: boolean;
  @IsISO8601() endedAt!: string;
  @IsISO8601() at!: string;
}

/** The allow-list of webhook hosts changed (enforcement owns it; trigger checks registrations with it). */
export class WebhookHostAllowedV1 {
  @IsString() @MinLength(1) host!: string;
  @IsString() note!: string;
  @IsString() by!: string;
  @IsISO8601() at!: string;
}

export class WebhookHostDisallowedV1 {
  @IsString() @MinLength(1) host!: string;
  @IsString() by!: string;
  @IsISO8601() at!: string;
}
