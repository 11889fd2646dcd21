import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TRAIL_TOPICS, CheckHitV1, CloudEvent, DepartmentRegisteredV1, EventTypes } from '@credit/contracts';
import { Counter } from 'prom-client';
import { HandlerContext, IncomingRecord, ServiceMessaging, Unprocessable } from '@credit/messaging';
import { escapeUnstorable, escapeUnstorableDeep, metricsRegistry } from '@credit/platform';
import { DueProcessProjector } from '../due-process/due-process.projector';
import { FollowUpProjector } from '../follow-up/follow-up.projector';
import { ReconciliationProjector } from '../reconciliation/reconciliation.projector';
import { TRACKING_CONSUMER_GROUP_SUFFIX, TRACKING_MESSAGING } from '../tracking.tokens';
import { firstHitsOfTheDay } from './trail-hit-days';
import { trailRank } from './trail-order';

/** An alert: the trail holds a record it could not read or store as it came (decision 0018). */
export const trailOpaqueRecords = new Counter({
  name: 'credit_trail_opaque_records_total',
  help: 'Events the trail could not read or store as they came, kept as opaque escaped records (alert on any)',
  labelNames: ['code'],
  registers: [metricsRegistry],
});

/** The trail of records whose entry cannot be read: hash-chained like an entry's, readable by supervisors. */
export const UNATTRIBUTED_TRAIL = 'ffffffff-ffff-ffff-ffff-ffffffffffff'; // the max UUID: no entry has it
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    private readonly dueProcess: DueProcessProjector,
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
      // the one event that comes in bursts (a hit per listed subject checked): a run of them at once
      batchHandlers: { [EventTypes.checkHit]: (events, { manager }) => this.appendHits(events, manager) },
      keepUnprocessable: (record, problem, manager) => this.keepOpaque(record, problem, manager),
    });
  }

  /**
   * An audit consumer never drops an event: what it cannot read or store (a NUL the database refuses, a
   * payload that breaks its schema, a record that is not JSON) is appended as an opaque record — the text
   * as it came, escaped, with the reason — to its entry's trail when the entry id can be read (else to the
   * unattributed trail), sealed into the hash chain like any other, and counted for an alert.
   */
  async keepOpaque(record: IncomingRecord, problem: Unprocessable, manager: EntityManager): Promise<void> {
    const raw = record.value?.toString('utf8') ?? '';
    let parsed: Record<string, unknown> | undefined;
    try {
      const value: unknown = problem.event ?? JSON.parse(raw);
      if (value && typeof value === 'object' && !Array.isArray(value))
        parsed = value as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
    const data = parsed?.data as Record<string, unknown> | undefined;
    const text = (v: unknown) => (typeof v === 'string' ? escapeUnstorable(v).slice(0, 200) : undefined);
    const entryId =
      typeof data?.entryId === 'string' && UUID.test(data.entryId) ? data.entryId : UNATTRIBUTED_TRAIL;
    const time =
      typeof parsed?.time === 'string' && !Number.isNaN(Date.parse(parsed.time)) ? parsed.time : undefined;
    await appendTrailRecord(manager, {
      entryId,
      eventId: text(parsed?.id) ?? `${record.topic}/${record.partition}/${record.offset}`,
      type: text(parsed?.type) ?? 'unknown',
      topic: record.topic,
      time: time ?? new Date().toISOString(),
      actorDept: text(parsed?.actordept) ?? null,
      data: {
        opaque: true,
        code: problem.code,
        reason: escapeUnstorable(problem.reason).slice(0, 2000),
        // what could be read, escaped; else the record's text as it came, escaped
        ...(data ? { event: escapeUnstorableDeep(data) } : { raw: escapeUnstorable(raw) }),
      },
    });
    if (time) await recordProgress(manager, this.consumerName, record, time);
    trailOpaqueRecords.inc({ code: problem.code });
  }

  async append(event: CloudEvent<unknown>, { manager, record }: HandlerContext): Promise<void> {
    // a hit retried on its own after its run failed is kept as the run would keep it
    if (event.type === EventTypes.checkHit && hasObjectData(event))
      return this.appendHits([{ event, record }], manager);
    await recordProgress(manager, this.consumerName, record, event.time);
    // the contract's payloads are objects (validated); data of a type outside it concerns no entry
    if (!hasObjectData(event)) return;
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
    // the subject's due process (a commitment need not be about an entry), in the same transaction
    await this.dueProcess.apply(event, manager);
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

  /**
   * A run of check hits, set-based: progress and reconciliation's hit for every one (a hit moves no
   * deadline and no due process); in the trail, the day's first hit of each entry, checking department,
   * action and decision (decision 0082) — every hit stays in `check_hits` and in enforcement's check log.
   */
  async appendHits(
    events: { event: CloudEvent<Record<string, unknown>>; record: IncomingRecord }[],
    manager: EntityManager,
  ): Promise<void> {
    await recordProgressOfRun(manager, this.consumerName, events);
    const firsts = await firstHitsOfTheDay(manager, events);
    await appendTrailRecords(
      manager,
      firsts.map(({ event, record }) => ({
        entryId: event.data.entryId as string,
        eventId: event.id,
        type: event.type,
        topic: record.topic,
        time: event.time,
        actorDept: event.actordept ?? null,
        data: event.data,
      })),
    );
    await this.reconciliation.applyHits(
      events.map(({ event }) => event.data as unknown as CheckHitV1),
      manager,
    );
  }
}

function hasObjectData(event: CloudEvent<unknown>): event is CloudEvent<Record<string, unknown>> {
  return typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data);
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
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id, time) DO NOTHING RETURNING event_id`,
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

/** Several records at once (`appendTrailRecord` for each): one insert for the records, one for the queue. */
export async function appendTrailRecords(manager: EntityManager, records: NewTrailRecord[]): Promise<void> {
  if (records.length === 0) return;
  const inserted: { event_id: string; entry_id: string; time: Date; type: string }[] = await manager.query(
    `INSERT INTO tracking.trail_records (entry_id, event_id, type, topic, time, actor_dept, data)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::jsonb[])
     ON CONFLICT (event_id, time) DO NOTHING RETURNING event_id, entry_id, time, type`,
    [
      records.map((r) => r.entryId),
      records.map((r) => r.eventId),
      records.map((r) => r.type),
      records.map((r) => r.topic),
      records.map((r) => new Date(r.time)),
      records.map((r) => r.actorDept),
      records.map((r) => JSON.stringify(r.data)),
    ],
  );
  if (inserted.length === 0) return;
  await manager.query(
    `INSERT INTO tracking.trail_unsealed (event_id, entry_id, time, rank)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::smallint[])`,
    [
      inserted.map((r) => r.event_id),
      inserted.map((r) => r.entry_id),
      inserted.map((r) => r.time),
      inserted.map((r) => trailRank(r.type)),
    ],
  );
}

/** `recordProgress` for a run of records: one upsert per partition, with the run's furthest point. */
async function recordProgressOfRun(
  manager: EntityManager,
  consumer: string,
  events: { event: CloudEvent<Record<string, unknown>>; record: IncomingRecord }[],
): Promise<void> {
  const furthest = new Map<string, { record: IncomingRecord; offset: bigint; time: number }>();
  for (const { event, record } of events) {
    const key = `${record.topic}|${record.partition}`;
    const seen = furthest.get(key);
    const offset = BigInt(record.offset);
    const time = new Date(event.time).getTime();
    if (!seen) furthest.set(key, { record, offset, time });
    else {
      if (offset > seen.offset) {
        seen.offset = offset;
        seen.record = record;
      }
      if (time > seen.time) seen.time = time;
    }
  }
  for (const { record, offset, time } of furthest.values()) {
    await recordProgress(
      manager,
      consumer,
      { ...record, offset: offset.toString() },
      new Date(time).toISOString(),
    );
  }
}
