import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { chinaIsoDate } from '@credit/calendar';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { maintainMonthlyPartitions, PartitionPass } from '@credit/persistence';
import { TRACKING_DB } from '../tracking.tokens';
import { TRAIL_OPTIONS, TrailOptions } from './trail.options';

/** Days of `trail_hit_days` kept: a hit delivered later than this is recorded in the trail again. */
const HIT_DAYS_KEPT = 7;

/**
 * The trail's months (decision 0056): the current one and `partitionsAheadMonths` ahead are made before
 * events reach them. Nothing is dropped: a sealed chain is kept whole for ever (no retention is given).
 * The pass also forgets which days' first check hits the trail holds, a week on (decision 0082).
 */
@Injectable()
export class TrailPartitionsJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;
  private readonly log: Logger;

  constructor(
    @Inject(TRACKING_DB) private readonly db: DataSource,
    @Inject(TRAIL_OPTIONS) private readonly options: TrailOptions,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ service: 'tracking', component: 'trail-partitions' });
    this.task = new PeriodicTask(
      options.partitionsIntervalMs,
      () => this.run(),
      this.log,
      'trail partitions',
    );
  }

  onApplicationBootstrap(): void {
    if (this.options.partitionsIntervalMs <= 0) return;
    this.task.start();
    this.task.wake(); // a pass now (one at a time with the timer's; stop waits for it)
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  async run(now = new Date()): Promise<PartitionPass> {
    const pass = await this.db.transaction(async (manager) => {
      // the days whose first hits are in the trail (decision 0082): only the last few can still be hit
      await manager.query(`DELETE FROM tracking.trail_hit_days WHERE day < $1::date`, [
        chinaIsoDate(new Date(now.getTime() - HIT_DAYS_KEPT * 86_400_000)),
      ]);
      return maintainMonthlyPartitions(
        manager,
        { table: 'tracking.trail_records' },
        now,
        this.options.partitionsAheadMonths,
      );
    });
    if (pass.created.length > 0) this.log.info({ created: pass.created }, 'trail months made');
    if (pass.blocked.length > 0)
      this.log.warn(
        { months: pass.blocked },
        'trail months not made: rows of them are in the default partition',
      );
    return pass;
  }
}
