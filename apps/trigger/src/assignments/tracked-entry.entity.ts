import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Colour, InfoClass, RelatedPersonV1, Severity, SubjectKind } from '@credit/contracts';

/**
 * What trigger knows of a list entry: enough to fan it out again when the catalog changes, to lift it,
 * and to check who may read its assignments.
 */
@Entity({ name: 'entries' })
export class TrackedEntry {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @Column({ name: 'owner_dept', type: 'text' })
  ownerDept!: string;

  @Column({ name: 'list_type', type: 'text' })
  listType!: string;

  @Column({ name: 'list_colour', type: 'text' })
  listColour!: Colour;

  /** the list type's information class when published (null: not announced); decides who may read */
  @Column({ name: 'info_class', type: 'text', nullable: true })
  infoClass!: InfoClass | null;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId!: string;

  @Column({ name: 'subject_kind', type: 'text' })
  subjectKind!: SubjectKind;

  @Column({ name: 'subject_name', type: 'text' })
  subjectName!: string;

  @Column({ name: 'subject_legacy_ids', type: 'text', array: true })
  subjectLegacyIds!: string[];

  @Column({ name: 'related_persons', type: 'jsonb' })
  relatedPersons!: RelatedPersonV1[];

  @Column({ name: 'period_from', type: 'timestamptz', nullable: true })
  periodFrom!: Date | null;

  @Column({ name: 'period_to', type: 'timestamptz', nullable: true })
  periodTo!: Date | null;

  @Column({ type: 'text' })
  status!: 'published' | 'ended';

  /** +1 each time a correction of the period re-issues the entry's assignments */
  @Column({ type: 'int' })
  generation!: number;

  /** the list type's severity band when published (null: not announced) */
  @Column({ type: 'text', nullable: true })
  severity?: Severity | null;

  /** the amount the decision found, yuan (null: none named); numeric comes back as text */
  @Column({
    name: 'decision_amount',
    type: 'numeric',
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  decisionAmount?: number | null;

  @Column({ name: 'violation_kind', type: 'text', nullable: true })
  violationKind?: string | null;

  /** received from a partner region: only these measures may reach it (null: all, decision 0035) */
  @Column({ name: 'recognised_measures', type: 'text', array: true, nullable: true })
  recognisedMeasures?: string[] | null;

  /** the partner region it was received from (null: listed here) */
  @Column({ name: 'origin_region', type: 'text', nullable: true })
  originRegion?: string | null;

  /** an objection is open on a list type that suspends its measures */
  @Column({ type: 'boolean' })
  suspended!: boolean;
}
