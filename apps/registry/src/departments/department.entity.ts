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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
