import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { TRAIL_TOPICS } from '@credit/contracts';
import { MessageBus } from '@credit/messaging';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { TRACKING_CONSUMER_GROUP_SUFFIX, TRACKING_DB } from '../tracking.tokens';
import { GENESIS_HASH, trailHash } from './trail-hash';
import { compareTrailOrder, TrailOrderKey, trailRank } from './trail-order';
import { TRAIL_OPTIONS, TrailOptions } from './trail.options';
import { trailConsumerName } from './trail.handlers';

const SEAL_LOCK = 0x7365616c; // 'seal': one sealer per entry at a time
const ENTRIES_PER_PASS = 500;

export interface SealPassResult {
  /** records before this instant could be sealed (null: the consumer is behind where nothing is known) */
  watermark: string | null;
  entries: number;
  sealed: number;
  /** sealed after a record that sorts after them: they arrived after their place was sealed */
  late: number;
}

/**
 * Seals trail records into their entry's hash chain in the canonical order (decision 0011). A record is
 * sealed once nothing can still sort before it: its time is before the watermark — the settle window
 * before now, and, on every partition the trail's consumer has not read to the end, the newest time it
 * read there minus the settle window. So replaying every topic into an empty database seals the same
 * records in the same order with the same hashes. Safe with several replicas (a lock per entry; a
 * position or record is sealed once, enforced by unique keys).
 */
@Injectable()
export class TrailSealJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly logger: Logger;

  constructor(
    @Inject(TRACKING_DB) private readonly db: DataSource,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(TRAIL_OPTIONS) private readonly options: TrailOptions,
    @Inject(TRACKING_CONSUMER_GROUP_SUFFIX) private readonly groupSuffix: string,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'tracking', component: 'trail-seal-job' });
    this.task = new PeriodicTask(options.sealIntervalMs, () => this.seal(), this.logger, 'trail sealing');
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Before which instant every record has arrived; null when that cannot be told yet. */
  async watermark(now = new Date()): Promise<Date | null> {
    const settle = this.options.settleMs;
    let watermark = now.getTime() - settle;
    const consumer = trailConsumerName(this.groupSuffix);
    const positions = await this.bus.consumerPositions?.(consumer, [...TRAIL_TOPICS]);
    if (!positions) return new Date(watermark); // the bus cannot tell: the settle window alone
    const progress: { topic: string; partition: number; last_offset: string; last_time: Date }[] =
      await this.db.query(
        `SELECT topic, partition, last_offset, last_time FROM tracking.trail_progress WHERE consumer = $1`,
        [consumer],
      );
    const read = new Map(progress.map((p) => [`${p.topic}|${p.partition}`, p]));
    for (const p of positions) {
      const mine = read.get(`${p.topic}|${p.partition}`);
      const next = [BigInt(p.start), BigInt(p.committed), mine ? BigInt(mine.last_offset) + 1n : -1n].reduce(
        (a, b) => (b > a ? b : a),
      );
      if (next >= BigInt(p.end)) continue; // read to the end
      // records still to read on this partition are no older than what it read last, minus the window
      if (!mine) return null;
      watermark = Math.min(watermark, mine.last_time.getTime() - settle);
    }
    return new Date(watermark);
  }

  async seal(now = new Date()): Promise<SealPassResult> {
    const watermark = await this.watermark(now);
    const result: SealPassResult = {
      watermark: watermark?.toISOString() ?? null,
      entries: 0,
      sealed: 0,
      late: 0,
    };
    if (!watermark) return result;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const entries: { entry_id: string }[] = await this.db.query(
        `SELECT DISTINCT entry_id FROM tracking.trail_unsealed WHERE time < $1 AND entry_id > $2
         ORDER BY entry_id LIMIT ${ENTRIES_PER_PASS}`,
        [watermark, after],
      );
      for (const { entry_id: entryId } of entries) {
        const sealed = await this.sealEntry(entryId, watermark);
        if (sealed.sealed > 0) result.entries += 1;
        result.sealed += sealed.sealed;
        result.late += sealed.late;
      }
      if (entries.length < ENTRIES_PER_PASS) break;
      after = entries[entries.length - 1].entry_id;
    }
    if (result.late > 0) {
      this.logger.warn({ late: result.late }, 'trail records sealed after their place (arrived late)');
    }
    return result;
  }

  private sealEntry(entryId: string, watermark: Date): Promise<{ sealed: number; late: number }> {
    return this.db.transaction(async (manager) => {
      const [{ locked }] = await manager.query(
        'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked',
        [SEAL_LOCK, entryId],
      );
      if (!locked) return { sealed: 0, late: 0 }; // another replica is sealing it
      const records: {
        event_id: string;
        type: string;
        time: Date;
        rank: number;
        actor_dept: string | null;
        data: unknown;
      }[] = await manager.query(
        `SELECT u.event_id, r.type, r.time, u.rank, r.actor_dept, r.data
         FROM tracking.trail_unsealed u JOIN tracking.trail_records r ON r.event_id = u.event_id
         WHERE u.entry_id = $1 AND u.time < $2 ORDER BY u.time, u.rank, u.event_id`,
        [entryId, watermark],
      );
      if (records.length === 0) return { sealed: 0, late: 0 };
      const [last]: { position: number; hash: string }[] = await manager.query(
        `SELECT position, hash FROM tracking.trail_seals WHERE entry_id = $1 ORDER BY position DESC LIMIT 1`,
        [entryId],
      );
      // the furthest sealed place in the canonical order: a late seal sorts before it, never after
      const [furthest]: { event_id: string; time: Date; type: string }[] = await manager.query(
        `SELECT r.event_id, r.time, r.type FROM tracking.trail_seals s
         JOIN tracking.trail_records r ON r.event_id = s.event_id
         WHERE s.entry_id = $1 AND NOT s.late ORDER BY s.position DESC LIMIT 1`,
        [entryId],
      );
      let position = last?.position ?? 0;
      let previous = last?.hash ?? GENESIS_HASH;
      let tail: TrailOrderKey | undefined = furthest
        ? { time: furthest.time, rank: trailRank(furthest.type), eventId: furthest.event_id }
        : undefined;
      const rows: { position: number; eventId: string; prevHash: string; hash: string; late: boolean }[] = [];
      for (const r of records) {
        const key = { time: r.time, rank: r.rank, eventId: r.event_id };
        const late = tail !== undefined && compareTrailOrder(key, tail) < 0;
        const hash = trailHash(previous, {
          eventId: r.event_id,
          type: r.type,
          time: r.time.toISOString(),
          actorDept: r.actor_dept,
          data: r.data,
        });
        position += 1;
        rows.push({ position, eventId: r.event_id, prevHash: previous, hash, late });
        previous = hash;
        if (!late) tail = key;
      }
      await manager.query(
        `INSERT INTO tracking.trail_seals (entry_id, position, event_id, prev_hash, hash, late)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::boolean[])`,
        [
          entryId,
          rows.map((r) => r.position),
          rows.map((r) => r.eventId),
          rows.map((r) => r.prevHash),
          rows.map((r) => r.hash),
          rows.map((r) => r.late),
        ],
      );
      await manager.query(`DELETE FROM tracking.trail_unsealed WHERE event_id = ANY($1::text[])`, [
        rows.map((r) => r.eventId),
      ]);
      return { sealed: rows.length, late: rows.filter((r) => r.late).length };
    });
  }
}
