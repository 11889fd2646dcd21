import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CloudEvent, DeliveryChannel } from '@credit/contracts';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'dead'] as const;
/** pending: due, not tried yet (or replayed); failed: the last attempt failed, retried later; dead: given up. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One assignment event to POST to one department's webhook, and how that went (the delivery log). */
@Entity({ name: 'deliveries' })
export class Delivery {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Creation order: rows of one department and subject are delivered in this order. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ type: 'text' })
  dept!: string;

  @Column({ name: 'assignment_id', type: 'uuid' })
  assignmentId!: string;

  /** The Kafka record key: the listed subject's identifier (never logged). */
  @Column({ name: 'subject_key', type: 'text' })
  subjectKey!: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text' })
  url!: string;

  /** Dropped (null) once delivered or dead for the retention period (7 days); the log row stays. */
  @Column({ type: 'jsonb', nullable: true })
  payload!: CloudEvent | null;

  @Column({ name: 'payload_dropped_at', type: 'timestamptz', nullable: true })
  payloadDroppedAt!: Date | null;

  @Column({ type: 'text' })
  status!: DeliveryStatus;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ type: 'int' })
  replays!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** When the current series of attempts began (creation or last replay): the age limit counts from it. */
  @Column({ name: 'retry_from', type: 'timestamptz' })
  retryFrom!: Date;

  /** Set by the replica whose POST is in flight; its result counts only while the lease is still its own. */
  @Column({ type: 'uuid', nullable: true })
  lease!: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode!: number | null;

  /** Why the last attempt failed: a stable code (DELIVERY.TIMEOUT, WEBHOOK_URL.PRIVATE …) … */
  @Column({ name: 'last_error_code', type: 'text', nullable: true })
  lastErrorCode!: string | null;

  /** … and our own short message: never an address, a stack or a host name of ours. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}

/** Each department's signing secret, encrypted with WEBHOOK_SECRET_KEY (`WebhookSecretCipher`). */
@Entity({ name: 'webhook_secrets' })
export class WebhookSecret {
  @PrimaryColumn({ type: 'text' })
  dept!: string;

  @Column({ name: 'secret_encrypted', type: 'text' })
  secretEncrypted!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * How each assignment is delivered, as its issued event said: lifts and pauses do not carry it, and
 * the inbox's copy may lag behind this consumer.
 */
@Entity({ name: 'delivery_targets' })
export class DeliveryTarget {
  @PrimaryColumn({ name: 'assignment_id', type: 'uuid' })
  assignmentId!: string;

  @Column({ type: 'text' })
  dept!: string;

  @Column({ type: 'text' })
  channel!: DeliveryChannel;

  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A delivery as the log shows it. */
export function toDeliveryView(d: Delivery) {
  return {
    id: d.id,
    dept: d.dept,
    assignmentId: d.assignmentId,
    eventId: d.eventId,
    eventType: d.eventType,
    url: d.url,
    status: d.status,
    attempts: d.attempts,
    replays: d.replays,
    nextAttemptAt: d.status === 'pending' || d.status === 'failed' ? iso(d.nextAttemptAt) : null,
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastErrorCode: d.lastErrorCode,
    lastError: d.lastError,
    createdAt: iso(d.createdAt),
    deliveredAt: iso(d.deliveredAt),
    payload: d.payload,
    payloadDroppedAt: iso(d.payloadDroppedAt),
  };
}
