import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ServiceMessaging } from '@credit/messaging';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { REGISTRY_DB, REGISTRY_EXPIRY_INTERVAL, REGISTRY_MESSAGING } from '../registry.tokens';
import { endEntry } from './end-entry';
import { ListEntry } from './list-entry.entity';

const BATCH = 200;

/**
 * Ends published entries whose period is over (reason `expired`), never an open-ended one. Idempotent and safe with several
 * replicas: each batch locks its rows with SKIP LOCKED, so two replicas never end the same entry, and an
 * entry already ended is no longer selected.
 */
@Injectable()
export class ExpireListEntriesJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly logger: Logger;

  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(REGISTRY_EXPIRY_INTERVAL) intervalMs: number,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'registry', component: 'expiry-job' });
    this.task = new PeriodicTask(intervalMs, () => this.expireDue(), this.logger, 'expiry pass');
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Ends every entry due at `now`; returns how many this call ended. */
  async expireDue(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const ended = await this.db.transaction(async (manager) => {
        const due = await manager
          .createQueryBuilder(ListEntry, 'e')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          // an open-ended entry lasts until the obligation is performed: never expired by the clock
          .where("e.status = 'published' AND NOT e.open_ended AND e.period_to <= :now", { now })
          .orderBy('e.period_to', 'ASC')
          .limit(BATCH)
          .getMany();
        for (const entry of due) {
          await endEntry(manager, this.messaging.outbox, entry, {
            reason: 'expired',
            note: `period ended ${entry.periodTo!.toISOString()} (期满自动退出)`,
            actorDept: entry.ownerDept,
            now,
          });
        }
        return due.length;
      });
      total += ended;
      if (ended < BATCH) break;
    }
    if (total > 0) this.logger.info({ ended: total }, 'expired list entries ended');
    return total;
  }
}
