import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { EndReason, RelatedRole, SubjectKind } from '@credit/contracts';
import type { ListEntryStatus } from './list-entry.state-machine';

export const NOTICE_CHANNELS = ['post', 'sms', 'email', 'in_person', 'online', 'announcement'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

export interface RelatedPerson {
  role: RelatedRole;
  kind: SubjectKind;
  id: string;
  name: string;
}

/** 名单条目: one subject on one list type, by one decision, for one period. */
@Entity({ name: 'list_entries' })
export class ListEntry {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'list_type', type: 'text' })
  listType!: string;

  @Column({ name: 'owner_dept', type: 'text' })
  ownerDept!: string;

  @Column({ name: 'subject_kind', type: 'text' })
  subjectKind!: SubjectKind;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId!: string;

  @Column({ name: 'subject_name', type: 'text' })
  subjectName!: string;

  /** organization code / registration number that also identify the subject */
  @Column({ name: 'subject_legacy_ids', type: 'text', array: true, default: () => "'{}'" })
  subjectLegacyIds!: string[];

  @Column({ name: 'related_persons', type: 'jsonb', default: () => "'[]'" })
  relatedPersons!: RelatedPerson[];

  /** 失信承诺: the broken commitment this entry was listed on, if any */
  @Column({ name: 'basis_commitment_id', type: 'uuid', nullable: true })
  basisCommitmentId!: string | null;

  @Column({ name: 'decision_document_no', type: 'text' })
  decisionDocumentNo!: string;

  @Column({ name: 'decision_date', type: 'date' })
  decisionDate!: string;

  @Column({ name: 'decision_facts', type: 'text' })
  decisionFacts!: string;

  /** the amount the decision found, yuan (null: none named); numeric comes back as text */
  @Column({
    name: 'decision_amount',
    type: 'numeric',
    nullable: true,
    transformer: {
      to: (v?: number | null) => v,
      from: (v: string | null) => (v === null ? null : Number(v)),
    },
  })
  decisionAmount?: number | null;

  /** the kind of violation the decision found, the owner's code (null: none named) */
  @Column({ name: 'decision_violation_kind', type: 'text', nullable: true })
  decisionViolationKind?: string | null;

  @Column({ name: 'period_from', type: 'timestamptz', nullable: true })
  periodFrom!: Date | null;

  @Column({ name: 'period_to', type: 'timestamptz', nullable: true })
  periodTo!: Date | null;

  /** in force until the obligation is performed: period_to is OPEN_ENDED_UNTIL and never expires */
  @Column({ name: 'open_ended', type: 'boolean', default: false })
  openEnded!: boolean;

  /** why the period does not start on the decision date (公示期起算日调整理由) */
  @Column({ name: 'period_reason', type: 'text', nullable: true })
  periodReason!: string | null;

  /** how many times the period was extended */
  @Column({ type: 'int', default: 0 })
  extensions!: number;

  @Column({ type: 'text' })
  status!: ListEntryStatus;

  @Column({ name: 'noticed_at', type: 'timestamptz', nullable: true })
  noticedAt!: Date | null;

  /** how the subject was told (告知方式) */
  @Column({ name: 'notice_channel', type: 'text', nullable: true })
  noticeChannel!: NoticeChannel | null;

  @Column({ name: 'notice_note', type: 'text', nullable: true })
  noticeNote!: string | null;

  /* what the notice (告知书) told the subject: the reasons, the legal basis and its rights */
  @Column({ name: 'notice_reasons', type: 'text', nullable: true })
  noticeReasons!: string | null;

  @Column({ name: 'notice_legal_basis', type: 'text', nullable: true })
  noticeLegalBasis!: string | null;

  @Column({ name: 'notice_rights', type: 'text', nullable: true })
  noticeRights!: string | null;

  @Column({ name: 'statement_deadline', type: 'timestamptz', nullable: true })
  statementDeadline!: Date | null;

  /** an objection is open: the entry is flagged for every reader until it is resolved */
  @Column({ name: 'objection_open', type: 'boolean', default: false })
  objectionOpen!: boolean;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason!: EndReason | null;

  @Column({ name: 'end_note', type: 'text', nullable: true })
  endNote!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn({ type: 'int' })
  version!: number;
}
