import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FilerRole } from '@credit/contracts';
import type { ObjectionStatus } from './objection.state-machine';

/** 异议: a subject's dispute of an entry, and how the department resolved it. */
@Entity({ name: 'objections' })
export class Objection {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @Column({ name: 'owner_dept', type: 'text' })
  ownerDept!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  status!: ObjectionStatus;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'opened_by', type: 'text' })
  openedBy!: string;

  /** 回执编号 handed to whoever filed it (null for objections filed before receipts existed) */
  @Column({ name: 'receipt_no', type: 'text', nullable: true })
  receiptNo!: string | null;

  @Column({ name: 'filed_by_role', type: 'text', default: 'initiator' })
  filedByRole!: FilerRole;

  /** the subject or related person it was filed for */
  @Column({ name: 'on_behalf_of', type: 'text', nullable: true })
  onBehalfOf!: string | null;

  /** the department must resolve it by then (working days from the list type) */
  @Column({ type: 'timestamptz' })
  deadline!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolution_note', type: 'text', nullable: true })
  resolutionNote!: string | null;
}
