import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The history of corrections to an entry's facts or period (信息更正). */
@Entity({ name: 'entry_amendments' })
export class EntryAmendment {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @Column({ name: 'objection_id', type: 'uuid', nullable: true })
  objectionId!: string | null;

  @Column({ type: 'text', array: true })
  changed!: string[];

  @Column({ type: 'jsonb' })
  before!: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  after!: Record<string, unknown>;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'amended_at', type: 'timestamptz' })
  amendedAt!: Date;

  @Column({ name: 'amended_by', type: 'text' })
  amendedBy!: string;
}
