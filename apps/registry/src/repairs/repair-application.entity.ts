import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RepairStatus } from './repair.state-machine';

/** 信用修复申请: the subject corrected its behaviour and asks to leave the list early. */
@Entity({ name: 'repair_applications' })
export class RepairApplication {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @Column({ name: 'owner_dept', type: 'text' })
  ownerDept!: string;

  /** what the subject did to repair (履行义务、纠正失信行为) */
  @Column({ type: 'text' })
  statement!: string;

  @Column({ type: 'text', array: true })
  evidence!: string[];

  @Column({ type: 'text' })
  status!: RepairStatus;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy!: string;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote!: string | null;
}
