import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AssignmentIssuedV1,
  AssignmentLiftedV1,
  AssignmentPausedV1,
  CloudEvent,
  EventTypes,
  Topics,
} from '@credit/contracts';
import { HandlerContext, ServiceMessaging } from '@credit/messaging';
import { ENFORCEMENT_MESSAGING } from '../enforcement.tokens';
import { tablePartitionOf, tablePartitionsOf } from '../checks/active-measures/table-partitions';
import { DeliveryFailures } from './delivery.errors';
import { DELIVERY_OPTIONS, DeliveryOptions } from './delivery.options';
import { notifyAfterCommit, NotifyChannels } from './delivery-notifications';

interface Target {
  dept: string;
  assignmentId: string;
  webhookUrl: string | null;
}

/**
 * 推送: turns each assignment event into what push delivery needs — a row of the department's stream
 * and, for departments that subscribed by webhook, a pending delivery — in the consumer's transaction.
 * Nothing here calls a department: a slow endpoint must never hold up reading Kafka (the dispatcher
 * POSTs).
 */
@Injectable()
export class DeliveryEventsHandlers implements OnModuleInit {
  constructor(
    @Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'enforcement.delivery',
      topics: [Topics.assignments],
      handlers: {
        [EventTypes.assignmentIssued]: (event, context) => this.onIssued(event, context),
        [EventTypes.assignmentLifted]: (event, context) => this.onFollowUp(event, context),
        [EventTypes.assignmentSuspended]: (event, context) => this.onFollowUp(event, context),
        [EventTypes.assignmentResumed]: (event, context) => this.onFollowUp(event, context),
      },
    });
  }

  async onIssued(event: CloudEvent<AssignmentIssuedV1>, { manager, record }: HandlerContext): Promise<void> {
    const a = event.data;
    const channel = a.delivery?.channel ?? 'pull';
    const webhookUrl = channel === 'webhook' ? (a.delivery?.webhookUrl ?? null) : null;
    await manager.query(
      `INSERT INTO enforcement.delivery_targets (assignment_id, dept, channel, webhook_url)
       VALUES ($1, $2, $3, $4) ON CONFLICT (assignment_id) DO NOTHING`,
      [a.assignmentId, a.dept, channel, webhookUrl],
    );
    await this.record(manager, event, record.key || a.subject.id, {
      dept: a.dept,
      assignmentId: a.assignmentId,
      webhookUrl,
    });
  }

  /** Lifts and pauses do not say how the department receives: the issue recorded it. */
  async onFollowUp(
    event: CloudEvent<AssignmentLiftedV1 | AssignmentPausedV1>,
    { manager, record }: HandlerContext,
  ): Promise<void> {
    const { assignmentId, dept } = event.data;
    // the inbox's row in its target's table partition when the event names the target (a lift; decision
    // 0080: by id alone the statement plans and locks all 48), in any of them for a pause
    const target = 'target' in event.data ? event.data.target : undefined;
    const partitions = (target ? [tablePartitionOf(target.id)] : tablePartitionsOf()).join(', ');
    // ours first (written by this consumer, so never behind it); the inbox's for assignments issued
    // before push delivery existed
    const rows: { channel: string; webhook_url: string | null }[] = await manager.query(
      `SELECT channel, webhook_url FROM (
         SELECT 1 AS rank, channel, webhook_url FROM enforcement.delivery_targets WHERE assignment_id = $1
         UNION ALL
         SELECT 2, channel, webhook_url FROM enforcement.assignments
         WHERE id = $1 AND key_partition IN (${partitions})
       ) t ORDER BY rank LIMIT 1`,
      [assignmentId],
    );
    const known = rows[0];
    const webhookUrl = known?.channel === 'webhook' ? known.webhook_url : null;
    await this.record(manager, event, record.key || assignmentId, { dept, assignmentId, webhookUrl });
  }

  private async record(
    manager: EntityManager,
    event: CloudEvent<{ assignmentId: string }>,
    subjectKey: string,
    target: Target,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO enforcement.stream_events (dept, assignment_id, event_id, event_type, payload)
       VALUES ($1, $2, $3, $4, $5)`,
      [target.dept, target.assignmentId, event.id, event.type, JSON.stringify(event)],
    );
    await notifyAfterCommit(manager, NotifyChannels.assignments, target.dept);
    if (!target.webhookUrl) return;
    // an event older than the retry window (a consumer far behind, or this group's first run over the
    // topic's history) is logged dead rather than POSTed late; the department may replay it
    const stale = Date.now() - Date.parse(event.time) > this.options.maxAgeMs;
    await manager.query(
      `INSERT INTO enforcement.deliveries (id, dept, assignment_id, subject_key, event_id, event_type, url,
         payload, status, last_error, last_error_code, next_attempt_at, retry_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), now())
       ON CONFLICT ON CONSTRAINT deliveries_once DO NOTHING`,
      [
        randomUUID(),
        target.dept,
        target.assignmentId,
        subjectKey,
        event.id,
        event.type,
        target.webhookUrl,
        JSON.stringify(event),
        stale ? 'dead' : 'pending',
        stale ? 'older than the retry window when it reached delivery' : null,
        stale ? DeliveryFailures.STALE.code : null,
      ],
    );
    if (!stale) await notifyAfterCommit(manager, NotifyChannels.deliveries, target.dept);
  }
}
