import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FilerRole } from '@credit/contracts';
import type { StatementStatus } from './statement.state-machine';

export const STATEMENT_REMEDIES = ['revoked', 'corrected'] as const;
export type StatementRemedy = (typeof STATEMENT_REMEDIES)[number];

/** 陈述申辩: what the subject (or the counter for it) said during the statement period, and the answer. */
@Entity({ name: 'statements' })
export class Statement {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** 回执编号 handed to the person who filed it */
  @Column({ name: 'receipt_no', type: 'text' })
  receiptNo!: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @Column({ name: 'owner_dept', type: 'text' })
  ownerDept!: string;

  @Column({ type: 'text' })
  content!: string;

  @Column({ name: 'filed_by_role', type: 'text' })
  filedByRole!: FilerRole;

  @Column({ name: 'filed_by', type: 'text' })
  filedBy!: string;

  @Column({ name: 'filed_by_dept', type: 'text', nullable: true })
  filedByDept!: string | null;

  /** the subject or related person it was filed for (the counter records whom it acted for) */
  @Column({ name: 'on_behalf_of', type: 'text' })
  onBehalfOf!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'text' })
  status!: StatementStatus;

  @Column({ type: 'text', nullable: true })
  reply!: string | null;

  /** what an accepted statement did to the entry */
  @Column({ type: 'text', nullable: true })
  remedy!: StatementRemedy | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'answered_by', type: 'text', nullable: true })
  answeredBy!: string | null;

  /** closed unanswered when its entry ended */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
