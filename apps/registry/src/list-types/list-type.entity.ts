import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Colour, InfoClass, Severity, SubjectKind } from '@credit/contracts';
import type { SubjectExclusion } from './periods';
import type { RepairCondition } from './repair-terms';

/** 名单类型: a red or black list owned by one initiating department. */
@Entity({ name: 'list_types' })
export class ListType {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  colour!: Colour;

  @Column({ name: 'owner_dept', type: 'text' })
  ownerDept!: string;

  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis!: string;

  @Column({ name: 'info_class', type: 'text' })
  infoClass!: InfoClass;

  @Column({ type: 'text' })
  severity!: Severity;

  @Column({ name: 'default_period_days', type: 'int' })
  defaultPeriodDays!: number;

  @Column({ name: 'subject_kinds', type: 'text', array: true })
  subjectKinds!: SubjectKind[];

  @Column({ name: 'notice_working_days', type: 'int' })
  noticeWorkingDays!: number;

  @Column({ name: 'suspend_on_objection', type: 'boolean' })
  suspendOnObjection!: boolean;

  /** working days the department has to resolve an objection (at most 20) */
  @Column({ name: 'objection_working_days', type: 'int' })
  objectionWorkingDays!: number;

  /** 认定标准 */
  @Column({ type: 'text', nullable: true })
  criteria!: string | null;

  /** 退出条件: when a subject leaves the list early (repair) */
  @Column({ name: 'exit_conditions', type: 'text', nullable: true })
  exitConditions!: string | null;

  /** 公示 of a minor-severity list type: not published unless this says so */
  @Column({ name: 'publish_minor', type: 'boolean', default: false })
  publishMinor!: boolean;

  /* 信用修复 terms (repair-terms.ts reads them) */
  @Column({ type: 'boolean', default: true })
  repairable!: boolean;

  /** days from publication before a repair may be applied for; null = the severity's default */
  @Column({ name: 'min_repair_days', type: 'int', nullable: true })
  minRepairDays!: number | null;

  @Column({ name: 'min_repair_days_reason', type: 'text', nullable: true })
  minRepairDaysReason!: string | null;

  /** the checklist an application answers; empty = the standard conditions */
  @Column({ name: 'repair_conditions', type: 'jsonb', default: () => "'[]'" })
  repairConditions!: RepairCondition[];

  /** 信用承诺书 required with an application */
  @Column({ name: 'commitment_required', type: 'boolean', default: true })
  commitmentRequired!: boolean;

  @Column({ name: 'repair_accept_working_days', type: 'int', default: 2 })
  repairAcceptWorkingDays!: number;

  @Column({ name: 'repair_decide_working_days', type: 'int', default: 5 })
  repairDecideWorkingDays!: number;

  /* periods and exits as the law sets them (periods.ts reads them) */
  /** an entry may be in force until the obligation is performed (无固定期限) */
  @Column({ name: 'open_ended_allowed', type: 'boolean', default: false })
  openEndedAllowed!: boolean;

  /** bounds of one extension in days (延长公示期); null: the list type is not extendable */
  @Column({ name: 'extension_min_days', type: 'int', nullable: true })
  extensionMinDays!: number | null;

  @Column({ name: 'extension_max_days', type: 'int', nullable: true })
  extensionMaxDays!: number | null;

  @Column({ name: 'max_extensions', type: 'int', default: 1 })
  maxExtensions!: number;

  /** subjects the list may not take (e.g. `minors` on the court list) */
  @Column({ name: 'excluded_subjects', type: 'text', array: true, default: () => "'{}'" })
  excludedSubjects!: SubjectExclusion[];

  /** a red list whose entries end (revoked) when their subject is black-listed */
  @Column({ name: 'ends_on_black_listing', type: 'boolean', default: false })
  endsOnBlackListing!: boolean;
  /** the shortest statement period after notice; null = the default (statement-terms.ts) */
  @Column({ name: 'min_statement_working_days', type: 'int', nullable: true })
  minStatementWorkingDays!: number | null;

  /** why the minimum is below the default (the legal basis that says so) */
  @Column({ name: 'min_statement_reason', type: 'text', nullable: true })
  minStatementReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
