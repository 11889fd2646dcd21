import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AssignmentStatus, DeliveryChannel, RelatedRole, SubjectKind } from '@credit/contracts';

/** 措施任务: one entry × one measure (version) × one implementing department × one target. */
@Entity({ name: 'assignments' })
export class Assignment {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @Column({ name: 'measure_id', type: 'uuid' })
  measureId!: string;

  @Column({ name: 'measure_code', type: 'text' })
  measureCode!: string;

  @Column({ name: 'measure_version', type: 'int' })
  measureVersion!: number;

  @Column({ type: 'text' })
  dept!: string;

  @Column({ name: 'list_type', type: 'text' })
  listType!: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId!: string;

  @Column({ name: 'target_id', type: 'text' })
  targetId!: string;

  @Column({ name: 'target_kind', type: 'text' })
  targetKind!: SubjectKind;

  @Column({ name: 'target_role', type: 'text', nullable: true })
  targetRole!: RelatedRole | null;

  @Column({ type: 'text' })
  status!: AssignmentStatus;

  /** while suspended: the status it returns to (feedback received meanwhile moves this one) */
  @Column({ name: 'suspended_from', type: 'text', nullable: true })
  suspendedFrom!: AssignmentStatus | null;

  @Column({ type: 'int' })
  generation!: number;

  /** false: issued to a department that never subscribed to the measure — supervisors follow these up */
  @Column({ type: 'boolean' })
  subscribed!: boolean;

  @Column({ type: 'text' })
  channel!: DeliveryChannel;

  @Column({ name: 'period_from', type: 'timestamptz', nullable: true })
  periodFrom!: Date | null;

  @Column({ name: 'period_to', type: 'timestamptz', nullable: true })
  periodTo!: Date | null;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'feedback_deadline', type: 'timestamptz' })
  feedbackDeadline!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
