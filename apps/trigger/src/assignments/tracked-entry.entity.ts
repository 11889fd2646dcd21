import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What trigger knows of a list entry: enough to fan out lifts and to check who may read its assignments. */
@Entity({ name: 'entries' })
export class TrackedEntry {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @Column({ name: 'owner_dept', type: 'text' })
  ownerDept!: string;

  @Column({ name: 'list_type', type: 'text' })
  listType!: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId!: string;

  @Column({ type: 'text' })
  status!: 'published' | 'ended';
}
