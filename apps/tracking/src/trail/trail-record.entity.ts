import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One event in an entry's append-only, hash-chained trail. */
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

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
