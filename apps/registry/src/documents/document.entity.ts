import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DocumentKind } from '@credit/contracts';

export const DOCUMENT_STATUSES = ['pending', 'issued', 'redacted'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/**
 * A document served on the subject (两书同达), kept with its entry: requested in the transaction of the
 * act that calls for it, generated (DOCX) and recorded as served by the documents job (decision 0026).
 */
@Entity({ name: 'documents' })
export class EntryDocument {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  /** the repair application a repair decision answers */
  @Column({ name: 'application_id', type: 'uuid', nullable: true })
  applicationId!: string | null;

  /** the statement a statement answer (陈述申辩答复书) answers */
  @Column({ name: 'statement_id', type: 'uuid', nullable: true })
  statementId!: string | null;

  @Column({ type: 'text' })
  kind!: DocumentKind;

  /** 1, then one more each time a correction of the entry issues the document again */
  @Column({ type: 'int', default: 1 })
  version!: number;

  /** the earlier version this one replaces */
  @Column({ type: 'uuid', nullable: true })
  supersedes!: string | null;

  /** when a later version replaced this one; it stays downloadable, marked superseded */
  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;

  @Column({ name: 'owner_dept', type: 'text' })
  ownerDept!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  status!: DocumentStatus;

  @Column({ type: 'bytea', nullable: true, select: false })
  content!: Buffer | null;

  @Column({ type: 'text', nullable: true })
  sha256!: string | null;

  @Column({ type: 'int', nullable: true })
  size!: number | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  /** a job generating it holds it until then; a crashed job's claim lapses */
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil!: Date | null;

  /** generated and served (送达) */
  @Column({ name: 'issued_at', type: 'timestamptz', nullable: true })
  issuedAt!: Date | null;
}
