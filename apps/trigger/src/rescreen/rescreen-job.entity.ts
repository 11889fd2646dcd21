import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A background pass over the entries in force after the catalog changed (a measure added or retired). */
@Entity({ name: 'rescreen_jobs' })
export class RescreenJob {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /**
   * issue: a new measure reaches entries already in force; lift: a retired one lets go of them;
   * reclassify: a list type's class was learnt — class C lifts other departments' measures, A/B issues
   * what was withheld (decision 0023)
   */
  @Column({ type: 'text' })
  kind!: 'issue' | 'lift' | 'reclassify';

  /** reclassify: the list type whose entries are gone through (measureIds is empty) */
  @Column({ name: 'list_type', type: 'text', nullable: true })
  listType!: string | null;

  @Column({ name: 'measure_ids', type: 'uuid', array: true })
  measureIds!: string[];

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  status!: 'running' | 'completed' | 'failed';

  /** last entry (or assignment) id handled: a restarted job resumes after it */
  @Column({ type: 'uuid', nullable: true })
  cursor!: string | null;

  @Column({ type: 'int' })
  total!: number;

  @Column({ type: 'int' })
  processed!: number;

  @Column({ type: 'int' })
  issued!: number;

  @Column({ type: 'int' })
  lifted!: number;

  /** entries that could not be fanned out (logged one by one) and were passed over */
  @Column({ type: 'int', default: 0 })
  skipped!: number;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
