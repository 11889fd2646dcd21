import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 过惩相当: an owner recorded that one listed entry does not take one measure, and why. */
@Entity({ name: 'measure_exclusions' })
export class MeasureExclusion {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @PrimaryColumn({ name: 'measure_code', type: 'text' })
  measureCode!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'by_sub', type: 'text' })
  bySub!: string;

  @Column({ name: 'by_dept', type: 'text' })
  byDept!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
