import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeliveryChannel } from '@credit/contracts';

/** An implementing department's acceptance of a measure and how it wants its assignments delivered. */
@Entity({ name: 'subscriptions' })
export class Subscription {
  @PrimaryColumn({ type: 'text' })
  dept!: string;

  @PrimaryColumn({ name: 'measure_code', type: 'text' })
  measureCode!: string;

  @Column({ type: 'text' })
  channel!: DeliveryChannel;

  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl!: string | null;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
