import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { END_REASONS, EndReason } from './domain';
import { ListTypeRefV1, SubjectRefV1 } from './payloads';

/*
 * The listed subject as a party (issue 13): 陈述申辩, 信用修复, 信用承诺 and the documents served.
 * Statement, repair and document events travel on `credit.list-entries` with the same key as the entry's
 * own events (the subject's identifier), so they stay in order with them; commitments travel on
 * `credit.commitments`, keyed by the subject's identifier too.
 */

/** Who filed something: the subject itself, the credit office's counter for it, or the owner's initiator. */
export const FILER_ROLES = ['subject', 'credit_office', 'initiator'] as const;
export type FilerRole = (typeof FILER_ROLES)[number];

export class FiledByV1 {
  @IsIn(FILER_ROLES) role!: FilerRole;
  /** the department of a counter clerk or initiator; absent for the subject */
  @IsOptional() @IsString() dept?: string;
}

/** 告知: the subject was told of a draft entry; the statement period runs to `statementDeadline`. */
export class ListEntryNoticedV1 {
  @IsUUID() entryId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsString() channel!: string;
  @IsISO8601() noticedAt!: string;
  @IsISO8601() statementDeadline!: string;
}

/** 陈述申辩 received during the statement period; publishing waits until the owner answers it. */
export class StatementReceivedV1 {
  @IsUUID() statementId!: string;
  @IsUUID() entryId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsObject() @ValidateNested() @Type(() => FiledByV1) filedBy!: FiledByV1;
  @IsISO8601() receivedAt!: string;
}

export class StatementAnsweredV1 {
  @IsUUID() statementId!: string;
  @IsUUID() entryId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsBoolean() accepted!: boolean;
  @IsISO8601() receivedAt!: string;
  @IsISO8601() answeredAt!: string;
}

export const REPAIR_OUTCOMES = ['approved', 'rejected'] as const;
export type RepairOutcome = (typeof REPAIR_OUTCOMES)[number];

/** Fields every repair event carries. */
export class RepairEventBaseV1 {
  @IsUUID() applicationId!: string;
  @IsUUID() entryId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsISO8601() at!: string;
}

/** 信用修复申请 submitted; the owner must accept (or ask for more material) by `acceptDeadline`. */
export class RepairSubmittedV1 extends RepairEventBaseV1 {
  @IsObject() @ValidateNested() @Type(() => FiledByV1) filedBy!: FiledByV1;
  @IsISO8601() acceptDeadline!: string;
}

/** The owner asked for more material: the acceptance clock pauses until the applicant supplies it. */
export class RepairMaterialRequestedV1 extends RepairEventBaseV1 {
  @IsArray() @IsString({ each: true }) missing!: string[];
}

/** The applicant supplied the material asked for: the acceptance clock runs again to `acceptDeadline`. */
export class RepairMaterialSuppliedV1 extends RepairEventBaseV1 {
  @IsISO8601() acceptDeadline!: string;
}

/** Accepted (受理) on or after its deadline; the decision is due by `decideDeadline`. */
export class RepairAcceptedV1 extends RepairEventBaseV1 {
  @IsISO8601() acceptDeadline!: string;
  @IsISO8601() decideDeadline!: string;
  @IsBoolean() onTime!: boolean;
}

/** Decided: an approval ends the entry `repaired` (a `credit.list-entry.ended.v1` follows). */
export class RepairDecidedV1 extends RepairEventBaseV1 {
  @IsIn(REPAIR_OUTCOMES) outcome!: RepairOutcome;
  @IsISO8601() decideDeadline!: string;
  @IsBoolean() onTime!: boolean;
}

/** The applicant withdrew its repair application before the decision (撤回): no deadline runs any more. */
export class RepairWithdrawnV1 extends RepairEventBaseV1 {
  @IsObject() @ValidateNested() @Type(() => FiledByV1) withdrawnBy!: FiledByV1;
}

/** What was left open when an entry ended: 陈述申辩, 异议 or 信用修复申请. */
export const DUE_PROCESS_APPLICATION_KINDS = ['statement', 'objection', 'repair'] as const;
export type DueProcessApplicationKind = (typeof DUE_PROCESS_APPLICATION_KINDS)[number];

/**
 * An application left open when its entry ended for another reason (expiry, revocation, the owner's end,
 * a repair): closed `closed_entry_ended`, so its deadlines no longer count against the owner.
 */
export class DueProcessClosedV1 {
  @IsIn(DUE_PROCESS_APPLICATION_KINDS) kind!: DueProcessApplicationKind;
  /** the statement's, objection's or repair application's id */
  @IsUUID() applicationId!: string;
  @IsUUID() entryId!: string;
  @IsObject() @ValidateNested() @Type(() => ListTypeRefV1) listType!: ListTypeRefV1;
  @IsString() ownerDept!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsIn(['closed_entry_ended']) outcome!: 'closed_entry_ended';
  /** why the entry ended */
  @IsIn(END_REASONS) endReason!: EndReason;
  @IsISO8601() closedAt!: string;
}

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
export class DocumentIssuedV1 {
  @IsUUID() documentId!: string;
  @IsUUID() entryId!: string;
  @IsIn(DOCUMENT_KINDS) kind!: DocumentKind;
  @IsString() ownerDept!: string;
  @IsOptional() @IsUUID() applicationId?: string;
  @IsString() @MinLength(1) title!: string;
  @IsISO8601() issuedAt!: string;
  /** the statement a statement answer answers */
  @IsOptional() @IsUUID() statementId?: string;
  /** 1 for the first document of its kind on the entry; a correction issues the next version */
  @IsOptional() @IsInt() @Min(1) version?: number;
  /** the earlier version this one replaces (it stays downloadable, marked superseded) */
  @IsOptional() @IsUUID() supersedes?: string;
}

export const COMMITMENT_MATTERS = ['repair', 'licence', 'subsidy', 'other'] as const;
export type CommitmentMatter = (typeof COMMITMENT_MATTERS)[number];

/** 信用承诺 recorded in the register. */
export class CommitmentRecordedV1 {
  @IsUUID() commitmentId!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsIn(COMMITMENT_MATTERS) matter!: CommitmentMatter;
  /** the entry a repair commitment belongs to */
  @IsOptional() @IsUUID() entryId?: string;
  @IsString() recordedByDept!: string;
  @IsISO8601() recordedAt!: string;
}

/** 守信: a commitment was kept (the matter it was made for is settled without a breach). */
export class CommitmentKeptV1 {
  @IsUUID() commitmentId!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsIn(COMMITMENT_MATTERS) matter!: CommitmentMatter;
  @IsOptional() @IsUUID() entryId?: string;
  @IsString() recordedByDept!: string;
  @IsISO8601() keptAt!: string;
}

/** 失信承诺: a commitment was broken; `newEntryId` names the entry listed on that basis, if any. */
export class CommitmentBrokenV1 {
  @IsUUID() commitmentId!: string;
  @IsObject() @ValidateNested() @Type(() => SubjectRefV1) subject!: SubjectRefV1;
  @IsIn(COMMITMENT_MATTERS) matter!: CommitmentMatter;
  @IsOptional() @IsUUID() entryId?: string;
  @IsOptional() @IsUUID() newEntryId?: string;
  @IsString() recordedByDept!: string;
  @IsISO8601() brokenAt!: string;
}
