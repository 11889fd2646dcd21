import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { maintainMonthlyPartitions, MonthlyPartitionedTable, PartitionPass } from '@credit/persistence';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { LOG_PARTITIONS_OPTIONS, LogPartitionsOptions } from './log-partitions.options';

export interface LogPartitionsPass {
  tables: Record<string, PartitionPass>;
  /** `assignment_removals` rows pruned */
  removalsPruned: number;
}

/**
 * Retention of the check log by day (decision 0071: ~170 M rows a day nationally) and of the access log
 * by month (decision 0056): makes the days or months ahead and drops whole partitions past the retention
 * — never a DELETE, so the access log's append-only triggers stay as they are. A check's decisions are
 * kept exactly as long as the check (same days, same retention), and so are its counts in the summary's
 * rollups (decision 0072).
 * Also prunes `assignment_removals` (0055) after `removalsRetentionMs`, recording how far, so that a
 * backstop whose watermark is older lists the whole set instead of trusting what is left.
 * Each table is its own short transaction under an advisory lock: replicas never race.
 */
@Injectable()
export class LogPartitionsJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;
  private readonly log: Logger;

  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(LOG_PARTITIONS_OPTIONS) private readonly options: LogPartitionsOptions,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ service: 'enforcement', component: 'log-partitions' });
    this.task = new PeriodicTask(options.intervalMs, () => this.run(), this.log, 'log partitions');
  }

  /** The partitioned tables, with their unit and retention. */
  tables(): MonthlyPartitionedTable[] {
    const checkLog = { unit: 'day', retentionMonths: this.options.checkLogRetentionMonths } as const;
    return [
      { table: 'enforcement.checks', ...checkLog },
      { table: 'enforcement.check_decisions', ...checkLog },
      // the summary's counts (decision 0072): the same days, so a day's counts go with its rows
      { table: 'enforcement.check_counts', ...checkLog },
      // a Beijing day's subjects (0079) in the UTC day it starts in: dropped no later than its checks
      { table: 'enforcement.check_subject_days', ...checkLog },
      { table: 'enforcement.access_log', retentionMonths: this.options.accessLogRetentionMonths },
    ];
  }

  onApplicationBootstrap(): void {
    if (this.options.intervalMs <= 0) return;
    // at start-up too: a service down for months comes back with its current month made
    this.task.start();
    this.task.wake(); // a pass now (one at a time with the timer's; stop waits for it)
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  async run(now = new Date()): Promise<LogPartitionsPass> {
    const result: LogPartitionsPass = { tables: {}, removalsPruned: 0 };
    for (const spec of this.tables()) {
      const pass = await this.db.transaction((manager) =>
        maintainMonthlyPartitions(
          manager,
          spec,
          now,
          spec.unit === 'day' ? this.options.aheadDays : this.options.aheadMonths,
        ),
      );
      result.tables[spec.table] = pass;
      if (pass.created.length > 0 || pass.dropped.length > 0)
        this.log.info({ table: spec.table, created: pass.created, dropped: pass.dropped }, 'partitions kept');
      if (pass.blocked.length > 0)
        this.log.warn(
          { table: spec.table, partitions: pass.blocked },
          'partitions not made: the default partition holds rows of them (they are kept there)',
        );
    }
    result.removalsPruned = await this.pruneRemovals(now);
    return result;
  }

  /** Drops removals older than the retention, and records the highest transaction dropped. */
  async pruneRemovals(now = new Date()): Promise<number> {
    const [{ pruned }]: { pruned: number }[] = await this.db.query(
      `WITH gone AS (
         DELETE FROM enforcement.assignment_removals WHERE removed_at < $1 RETURNING removed_xid),
       horizon AS (
         UPDATE enforcement.assignment_removals_pruned
         SET up_to = GREATEST(up_to, (SELECT max(removed_xid) FROM gone))
         WHERE EXISTS (SELECT 1 FROM gone) RETURNING up_to)
       SELECT (SELECT count(*) FROM gone)::int AS pruned, (SELECT count(*) FROM horizon) AS horizon`,
      [new Date(now.getTime() - this.options.removalsRetentionMs)],
    );
    if (pruned > 0) this.log.info({ pruned }, 'assignment removals pruned');
    return pruned;
  }
}
