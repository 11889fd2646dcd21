import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';
import type { FilerRole } from '@credit/contracts';
import type { RepairStatus } from './repair.state-machine';

/** One answer of the list type's repair checklist (修复条件) with its evidence. */
export interface RepairConditionAnswer {
  code: string;
  /** the checklist's wording when the application was made */
  text: string;
  met: boolean;
  evidence: string | null;
}

/** What the owner asked for (补正材料), and what came back. */
export interface MaterialRequest {
  missing: string[];
  note: string | null;
  requestedAt: string;
  requestedBy: string;
  suppliedAt: string | null;
  suppliedBy: string | null;
  supplied: string | null;
}

/** 信用修复申请: the subject corrected its behaviour and asks to leave the list before the period ends. */
@Entity({ name: 'repair_applications' })
export class RepairApplication {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @Column({ name: 'owner_dept', type: 'text' })
  ownerDept!: string;

  @Column({ name: 'list_type', type: 'text' })
  listType!: string;

  /** the listed subject's identifier (the entry's) */
  @Column({ name: 'subject_id', type: 'text' })
  subjectId!: string;

  /** what the subject did to repair (履行义务、纠正失信行为) */
  @Column({ type: 'text' })
  statement!: string;

  /** 信用承诺书: the signed commitment's text */
  @Column({ name: 'commitment_text', type: 'text', nullable: true })
  commitmentText!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  conditions!: RepairConditionAnswer[];

  @Column({ type: 'text' })
  status!: RepairStatus;

  @Column({ name: 'filed_by_role', type: 'text' })
  filedByRole!: FilerRole;

  /** the counter's or initiator's department; null for the subject itself */
  @Column({ name: 'filed_by_dept', type: 'text', nullable: true })
  filedByDept!: string | null;

  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy!: string;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  /** when the owner must accept (受理) or ask for material; null while the clock is paused */
  @Column({ name: 'accept_deadline', type: 'timestamptz', nullable: true })
  acceptDeadline!: Date | null;

  /** working days of the acceptance period left while paused for material */
  @Column({ name: 'accept_days_left', type: 'int', nullable: true })
  acceptDaysLeft!: number | null;

  @Column({ name: 'material_requests', type: 'jsonb', default: () => "'[]'" })
  materialRequests!: MaterialRequest[];

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'accepted_by', type: 'text', nullable: true })
  acceptedBy!: string | null;

  @Column({ name: 'decide_deadline', type: 'timestamptz', nullable: true })
  decideDeadline!: Date | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy!: string | null;

  /** why it was decided so; told to the applicant (required for a rejection) */
  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason!: string | null;

  /** withdrawn by the applicant, or closed when its entry ended: no deadline runs any more */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'closed_by', type: 'text', nullable: true })
  closedBy!: string | null;

  /** the applicant's reason for withdrawing, or why the entry ended */
  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason!: string | null;

  @VersionColumn({ type: 'int' })
  version!: number;
}
