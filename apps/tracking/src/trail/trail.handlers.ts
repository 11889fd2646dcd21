import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ALL_TOPICS, CloudEvent } from '@credit/contracts';
import { HandlerContext, ServiceMessaging } from '@credit/messaging';
import { FollowUpProjector } from '../follow-up/follow-up.projector';
import { ReconciliationProjector } from '../reconciliation/reconciliation.projector';
import { TRACKING_CONSUMER_GROUP_SUFFIX, TRACKING_MESSAGING } from '../tracking.tokens';
import { GENESIS_HASH, trailHash } from './trail-hash';

const TRAIL_LOCK = 0x7472616c; // 'tral': one writer per entry chain at a time

/** 跟踪: every event on every topic that concerns a list entry is appended to that entry's trail. */
@Injectable()
export class TrailHandlers implements OnModuleInit {
  constructor(
    @Inject(TRACKING_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(TRACKING_CONSUMER_GROUP_SUFFIX) private readonly groupSuffix: string,
    private readonly followUp: FollowUpProjector,
    private readonly reconciliation: ReconciliationProjector,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: `tracking.trail${this.groupSuffix}`,
      topics: [...ALL_TOPICS],
      handlers: { '*': (event, context) => this.append(event, context) },
    });
  }

  async append(
    event: CloudEvent<Record<string, unknown>>,
    { manager, record }: HandlerContext,
  ): Promise<void> {
    const entryId = typeof event.data?.entryId === 'string' ? event.data.entryId : undefined;
    if (!entryId) return; // not about an entry (none such yet); statistics will take these
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

export async function appendTrailRecord(manager: EntityManager, r: NewTrailRecord): Promise<void> {
  // events of one entry may arrive on several topics at once: chain them one at a time
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [TRAIL_LOCK, r.entryId]);
  const [last] = await manager.query(
    'SELECT hash FROM tracking.trail_records WHERE entry_id = $1 ORDER BY seq DESC LIMIT 1',
    [r.entryId],
  );
  const prevHash: string = last?.hash ?? GENESIS_HASH;
  const time = new Date(r.time).toISOString();
  const hash = trailHash(prevHash, {
    eventId: r.eventId,
    type: r.type,
    time,
    actorDept: r.actorDept,
    data: r.data,
  });
  await manager.query(
    `INSERT INTO tracking.trail_records (entry_id, event_id, type, topic, time, actor_dept, data, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING`,
    [r.entryId, r.eventId, r.type, r.topic, time, r.actorDept, JSON.stringify(r.data), prevHash, hash],
  );
}
