import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** 部门: an initiating or implementing department, by its code. */
@Entity({ name: 'departments' })
export class Department {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  /** 行政区划代码 (6 digits) */
  @Column({ type: 'text' })
  region!: string;

  /** May hold the supervisor and credit_office roles (decision 0019). */
  @Column({ type: 'boolean', default: false })
  supervising!: boolean;

  /** An external platform (信用中国, the provincial platform): its `system` pulls the publication feed. */
  @Column({ name: 'external_platform', type: 'boolean', default: false })
  externalPlatform!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
