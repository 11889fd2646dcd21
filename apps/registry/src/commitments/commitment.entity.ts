import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CommitmentMatter, FilerRole, SubjectKind } from '@credit/contracts';
import type { CommitmentStatus } from './commitment.state-machine';

/** 信用承诺: what a subject committed to, for which matter, and whether it kept it. */
@Entity({ name: 'commitments' })
export class Commitment {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'subject_kind', type: 'text' })
  subjectKind!: SubjectKind;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId!: string;

  @Column({ name: 'subject_name', type: 'text' })
  subjectName!: string;

  /** what it was made for: a repair, a licence application, a subsidy … */
  @Column({ type: 'text' })
  matter!: CommitmentMatter;

  /** the signed text (承诺书) */
  @Column({ type: 'text' })
  text!: string;

  /** the day it was signed (Beijing date) */
  @Column({ name: 'made_on', type: 'date' })
  madeOn!: string;

  /** the entry a repair commitment belongs to */
  @Column({ name: 'entry_id', type: 'uuid', nullable: true })
  entryId!: string | null;

  @Column({ type: 'text' })
  status!: CommitmentStatus;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy!: string;

  /** the department it was made to (the counter's department when the subject filed it there) */
  @Column({ name: 'recorded_by_dept', type: 'text' })
  recordedByDept!: string;

  @Column({ name: 'recorded_by_role', type: 'text' })
  recordedByRole!: FilerRole | 'admin';

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  @Column({ name: 'settled_by', type: 'text', nullable: true })
  settledBy!: string | null;

  @Column({ name: 'settled_by_dept', type: 'text', nullable: true })
  settledByDept!: string | null;

  @Column({ name: 'settlement_note', type: 'text', nullable: true })
  settlementNote!: string | null;

  /** the first entry listed on the basis of this broken commitment */
  @Column({ name: 'new_entry_id', type: 'uuid', nullable: true })
  newEntryId!: string | null;
}
