import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Colour } from '@credit/contracts';
import type { WindowState } from '../lawful/effective-window';

/** 联合惩戒（激励）合作备忘录: which lists it acts on; its measures say who does what. */
@Entity({ name: 'memoranda' })
export class Memorandum {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'document_no', type: 'text' })
  documentNo!: string;

  @Column({ name: 'list_types', type: 'text', array: true })
  listTypes!: string[];

  /** 签署部门 */
  @Column({ type: 'text', array: true })
  signatories!: string[];

  @Column({ name: 'effective_from', type: 'date', nullable: true })
  effectiveFrom!: string | null;

  @Column({ name: 'effective_to', type: 'date', nullable: true })
  effectiveTo!: string | null;

  /** the colour of the lists it acts on (null: from its measures' kind) */
  @Column({ type: 'text', nullable: true })
  colour!: Colour | null;

  /** where its effective window stood when last looked at: what it issued follows (decision 0031) */
  @Column({ name: 'window_state', type: 'text' })
  windowState!: WindowState;

  @Column({ name: 'window_changed_at', type: 'timestamptz', nullable: true })
  windowChangedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
