import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SubjectKind } from '@credit/contracts';

/** 信用主体: one per identifier (USCC or ID number, normalized); legacy codes find it too. */
@Entity({ name: 'subjects' })
export class Subject {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: SubjectKind;

  @Column({ type: 'text', unique: true })
  identifier!: string;

  @Column({ type: 'text' })
  name!: string;

  /** organization code, registration number, 15-digit ID number */
  @Column({ name: 'legacy_ids', type: 'text', array: true })
  legacyIds!: string[];

  /** `pilot` (allow-listed), `org_code_mismatch`: accepted, but a person should look at the code */
  @Column({ type: 'text', array: true })
  flags!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
