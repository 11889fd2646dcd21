import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  AssignmentStatus,
  DeliveryChannel,
  MeasureSnapshotV1,
  RelatedRole,
  SubjectKind,
} from '@credit/contracts';

/** An assignment as its implementing department holds it: the measure snapshot travels with it. */
@Entity({ name: 'assignments' })
export class DepartmentAssignment {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @Column({ type: 'text' })
  dept!: string;

  @Column({ type: 'jsonb' })
  measure!: MeasureSnapshotV1;

  @Column({ name: 'list_type', type: 'text' })
  listType!: string;

  @Column({ name: 'list_colour', type: 'text' })
  listColour!: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId!: string;

  @Column({ name: 'subject_kind', type: 'text' })
  subjectKind!: SubjectKind;

  @Column({ name: 'subject_name', type: 'text' })
  subjectName!: string;

  /** organization code etc. of the listed subject: the check finds the subject by these too */
  @Column({ name: 'subject_legacy_ids', type: 'text', array: true })
  subjectLegacyIds!: string[];

  @Column({ name: 'target_id', type: 'text' })
  targetId!: string;

  /**
   * The table partition the row lives in (decision 0080): murmur2 of the target at issue % 48, set on
   * insert (`tablePartitionOf`) and never changed — an anonymised copy keeps it. Part of the key, so
   * that saving the entity updates it in its partition, never planning (and locking) all 48.
   */
  @PrimaryColumn({ name: 'key_partition', type: 'smallint' })
  keyPartition!: number;

  @Column({ name: 'target_kind', type: 'text' })
  targetKind!: SubjectKind;

  @Column({ name: 'target_role', type: 'text', nullable: true })
  targetRole!: RelatedRole | null;

  @Column({ name: 'target_name', type: 'text', nullable: true })
  targetName!: string | null;

  @Column({ name: 'period_from', type: 'timestamptz' })
  periodFrom!: Date;

  @Column({ name: 'period_to', type: 'timestamptz' })
  periodTo!: Date;

  @Column({ type: 'text' })
  status!: AssignmentStatus;

  @Column({ name: 'suspended_from', type: 'text', nullable: true })
  suspendedFrom!: AssignmentStatus | null;

  @Column({ type: 'int' })
  generation!: number;

  @Column({ type: 'boolean' })
  subscribed!: boolean;

  @Column({ type: 'text' })
  channel!: DeliveryChannel;

  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl!: string | null;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'feedback_deadline', type: 'timestamptz' })
  feedbackDeadline!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'lifted_at', type: 'timestamptz', nullable: true })
  liftedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /**
   * When the entry ended, as registry told enforcement (decision 0063): from then on the row no longer
   * binds the check, whatever its status, which stays trigger's. Written only by the entry-ends handler
   * and by a database trigger on insert, never by saving the entity.
   */
  @Column({ name: 'entry_ended_at', type: 'timestamptz', nullable: true, insert: false, update: false })
  entryEndedAt!: Date | null;
}
