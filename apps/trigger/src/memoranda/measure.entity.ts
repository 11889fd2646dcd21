import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { EnforcementMode, MeasureKind, RelatedRole, Severity, SubjectKind } from '@credit/contracts';
import type { LegalInstrument } from '../lawful/legal-basis';

/**
 * 措施: one implementing department's measure under a memorandum. Versioned: a change makes a new row
 * with the next version; every assignment records the version it was issued under.
 */
@Entity({ name: 'measures' })
export class Measure {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'memorandum_code', type: 'text' })
  memorandumCode!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'text' })
  kind!: MeasureKind;

  @Column({ type: 'text' })
  dept!: string;

  /** the bases as text (what the check and the events cite) */
  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis!: string;

  /** the bases as instruments, each with its level (decision 0031) */
  @Column({ name: 'legal_bases', type: 'jsonb' })
  legalBases!: LegalInstrument[];

  /** issued only on entries of this severity or worse (null: any) */
  @Column({ name: 'min_severity', type: 'text', nullable: true })
  minSeverity!: Severity | null;

  /** what the entry's decision must show (null: nothing) */
  @Column({ type: 'jsonb', nullable: true })
  conditions!: MeasureConditions | null;

  @Column({ name: 'list_types', type: 'text', array: true })
  listTypes!: string[];

  @Column({ name: 'subject_kinds', type: 'text', array: true })
  subjectKinds!: SubjectKind[];

  @Column({ name: 'related_roles', type: 'text', array: true })
  relatedRoles!: RelatedRole[];

  @Column({ type: 'text', array: true })
  actions!: string[];

  @Column({ type: 'text' })
  mode!: EnforcementMode;

  @Column({ name: 'feedback_working_days', type: 'int' })
  feedbackWorkingDays!: number;

  /** false once superseded by a newer version or retired */
  @Column({ type: 'boolean' })
  current!: boolean;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export interface MeasureConditions {
  minAmount?: number;
  violationKinds?: string[];
}
