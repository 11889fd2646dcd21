import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { DELIVERY_OPTIONS, DeliveryOptions } from './delivery.options';

const BATCH = 500;

/**
 * Webhook payloads carry personal data (the listed subject's name and identifier): a delivered one is
 * dropped `payloadRetentionMs` after its delivery (a dead one after its last attempt); the log row stays
 * (status, times, codes). In batches, each its own short transaction; rows are taken FOR UPDATE SKIP
 * LOCKED, so replicas running the job together (or a replay holding a row) never wait on each other.
 */
@Injectable()
export class DeliveryPayloadRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;
  private readonly log: Logger;

  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ service: 'enforcement', component: 'delivery-payload-retention' });
    this.task = new PeriodicTask(
      options.payloadRetentionIntervalMs,
      () => this.run(),
      this.log,
      'payload retention',
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One pass: every payload past its retention, a batch at a time; the number dropped. */
  async run(batch = BATCH): Promise<number> {
    let dropped = 0;
    for (;;) {
      const [{ n }]: { n: number }[] = await this.db.query(
        `WITH due AS (
           SELECT id FROM enforcement.deliveries
           WHERE payload IS NOT NULL AND status IN ('delivered', 'dead')
             AND COALESCE(delivered_at, last_attempt_at, created_at) < now() - make_interval(secs => $1)
           ORDER BY COALESCE(delivered_at, last_attempt_at, created_at)
           LIMIT $2 FOR UPDATE SKIP LOCKED
         ), dropped AS (
           UPDATE enforcement.deliveries d SET payload = NULL, payload_dropped_at = now()
           FROM due WHERE d.id = due.id RETURNING d.id
         )
         SELECT count(*)::int AS n FROM dropped`,
        [this.options.payloadRetentionMs / 1000, batch],
      );
      dropped += n;
      if (n < batch) break;
    }
    if (dropped > 0) this.log.info({ dropped }, 'webhook payloads dropped after retention');
    return dropped;
  }
}
