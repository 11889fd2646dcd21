import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { maintainMonthlyPartitions, PartitionPass } from '@credit/persistence';
import { TRACKING_DB } from '../tracking.tokens';
import { TRAIL_OPTIONS, TrailOptions } from './trail.options';

/**
 * The trail's months (decision 0056): the current one and `partitionsAheadMonths` ahead are made before
 * events reach them. Nothing is dropped: a sealed chain is kept whole for ever (no retention is given).
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
    const pass = await this.db.transaction((manager) =>
      maintainMonthlyPartitions(
        manager,
        { table: 'tracking.trail_records' },
        now,
        this.options.partitionsAheadMonths,
      ),
    );
    if (pass.created.length > 0) this.log.info({ created: pass.created }, 'trail months made');
    if (pass.blocked.length > 0)
      this.log.warn(
        { months: pass.blocked },
        'trail months not made: rows of them are in the default partition',
      );
    return pass;
  }
}
