import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One event in an entry's append-only trail, as it arrived. Its place in the entry's hash chain is in
 * `trail_seals` (decision 0011); `prevHash`/`hash` here are the arrival-order chain of records written
 * before that decision, kept as they were, and null since.
 */
@Entity({ name: 'trail_records' })
export class TrailRecord {
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'timestamptz' })
  time!: Date;

  @Column({ name: 'actor_dept', type: 'text', nullable: true })
  actorDept!: string | null;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'text', nullable: true })
  prevHash!: string | null;

  @Column({ type: 'text', nullable: true })
  hash!: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
