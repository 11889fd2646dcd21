import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ImportMode, ImportRejection } from './import-row-validator';

export const IMPORT_STATUSES = ['running', 'completed', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** 批量导入: one bulk import of list entries, its progress while it runs and its report after. */
@Entity({ name: 'imports' })
export class ImportJob {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'owner_dept', type: 'text' })
  ownerDept!: string;

  @Column({ name: 'list_type', type: 'text' })
  listType!: string;

  @Column({ type: 'text' })
  mode!: ImportMode;

  @Column({ type: 'text' })
  status!: ImportStatus;

  @Column({ type: 'int', default: 0 })
  total!: number;

  @Column({ type: 'int', default: 0 })
  accepted!: number;

  @Column({ type: 'int', default: 0 })
  rejected!: number;

  /** the first 1,000 rejections, in row order */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  rejections!: ImportRejection[];

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}

export function toImportView(job: ImportJob) {
  return {
    id: job.id,
    status: job.status,
    mode: job.mode,
    listType: job.listType,
    ownerDept: job.ownerDept,
    total: job.total,
    accepted: job.accepted,
    rejected: job.rejected,
    rejections: job.rejections,
    createdBy: job.createdBy,
    startedAt: job.startedAt.toISOString(),
    finishedAt: job.finishedAt ? job.finishedAt.toISOString() : null,
    error: job.error,
  };
}

export type ImportView = ReturnType<typeof toImportView>;
