import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TRAIL_TOPICS, CloudEvent, DepartmentRegisteredV1, EventTypes } from '@credit/contracts';
import { HandlerContext, IncomingRecord, ServiceMessaging } from '@credit/messaging';
import { FollowUpProjector } from '../follow-up/follow-up.projector';
import { ReconciliationProjector } from '../reconciliation/reconciliation.projector';
import { TRACKING_CONSUMER_GROUP_SUFFIX, TRACKING_MESSAGING } from '../tracking.tokens';
import { trailRank } from './trail-order';

export function trailConsumerName(groupSuffix: string): string {
  return `tracking.trail${groupSuffix}`;
}

/** 跟踪: every event on every topic that concerns a list entry is appended to that entry's trail. */
@Injectable()
export class TrailHandlers implements OnModuleInit {
  constructor(
    @Inject(TRACKING_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(TRACKING_CONSUMER_GROUP_SUFFIX) private readonly groupSuffix: string,
    private readonly followUp: FollowUpProjector,
    private readonly reconciliation: ReconciliationProjector,
  ) {}

  /** The consumer group (and inbox) of the trail. */
  get consumerName(): string {
    return trailConsumerName(this.groupSuffix);
  }

  onModuleInit(): void {
    this.messaging.consume({
      name: this.consumerName,
      topics: [...TRAIL_TOPICS],
      handlers: { '*': (event, context) => this.append(event, context) },
    });
  }

  async append(
    event: CloudEvent<Record<string, unknown>>,
    { manager, record }: HandlerContext,
  ): Promise<void> {
    await recordProgress(manager, this.consumerName, record, event.time);
    if (event.type === EventTypes.departmentRegistered) {
      // statistics by region: a department's figures follow its region
      const d = event.data as unknown as DepartmentRegisteredV1;
      await manager.query(
        `INSERT INTO tracking.department_regions (dept, region) VALUES ($1, $2)
         ON CONFLICT (dept) DO UPDATE SET region = EXCLUDED.region`,
        [d.code, d.region],
      );
      return;
    }
    const entryId = typeof event.data?.entryId === 'string' ? event.data.entryId : undefined;
    if (!entryId) return; // not about an entry
    await appendTrailRecord(manager, {
      entryId,
      eventId: event.id,
      type: event.type,
      topic: record.topic,
      time: event.time,
      actorDept: event.actordept ?? null,
      data: event.data,
    });
    // deadlines, follow-up, statistics and reconciliation move in the same transaction as the trail record
    const followed = await this.followUp.apply(event, manager);
    await this.reconciliation.apply(event, manager, followed);
  }
}

export interface NewTrailRecord {
  entryId: string;
  eventId: string;
  type: string;
  topic: string;
  time: string;
  actorDept: string | null;
  data: Record<string, unknown>;
}

/**
 * Stores the record as it arrived and queues it for sealing: its place in the entry's chain is given by
 * the canonical order, once nothing can still sort before it (TrailSealJob, decision 0011).
 */
export async function appendTrailRecord(manager: EntityManager, r: NewTrailRecord): Promise<void> {
  const time = new Date(r.time);
  const inserted: unknown[] = await manager.query(
    `INSERT INTO tracking.trail_records (entry_id, event_id, type, topic, time, actor_dept, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [r.entryId, r.eventId, r.type, r.topic, time, r.actorDept, JSON.stringify(r.data)],
  );
  if (inserted.length === 0) return;
  await manager.query(
    `INSERT INTO tracking.trail_unsealed (event_id, entry_id, time, rank) VALUES ($1, $2, $3, $4)`,
    [r.eventId, r.entryId, time, trailRank(r.type)],
  );
}

/** How far the trail's consumer has read a partition: what the sealing job's watermark is made of. */
async function recordProgress(
  manager: EntityManager,
  consumer: string,
  record: IncomingRecord,
  time: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO tracking.trail_progress (consumer, topic, partition, last_offset, last_time)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (consumer, topic, partition) DO UPDATE SET
       last_offset = GREATEST(trail_progress.last_offset, EXCLUDED.last_offset),
       last_time = GREATEST(trail_progress.last_time, EXCLUDED.last_time)`,
    [consumer, record.topic, record.partition, record.offset, new Date(time)],
  );
}
