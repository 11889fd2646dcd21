import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { Measure } from '../memoranda/measure.entity';
import { Memorandum } from '../memoranda/memorandum.entity';
import { RescreenEntriesJob } from '../rescreen/rescreen-entries.job';
import { TRIGGER_DB, TRIGGER_WINDOW_OPTIONS } from '../trigger.tokens';
import { windowAction, windowStateAt } from './effective-window';

export interface WindowOptions {
  /** how often a replica looks at the memoranda's effective windows (ms); 0: only when called (tests) */
  intervalMs: number;
}

/**
 * Memoranda apply only within their effective dates (decision 0031). A pass looks at each memorandum
 * whose window moved (by the day, or by an admin's change of its dates): entering it issues its measures
 * to the entries in force, leaving it lifts what they issued — both through a re-screening job recorded
 * in the same transaction, so the lifts reach the departments, who confirm them. Each memorandum row is
 * locked (SKIP LOCKED) while it is looked at, so several replicas share the work and none does it twice.
 */
@Injectable()
export class MemorandumWindowJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly logger: Logger;

  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    @Inject(TRIGGER_WINDOW_OPTIONS) private readonly options: WindowOptions,
    private readonly rescreen: RescreenEntriesJob,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'trigger', component: 'memorandum-window' });
    this.task = new PeriodicTask(
      options.intervalMs,
      () => this.runOnce(),
      this.logger,
      'effective-window pass',
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /** Before the database closes: a pass still running would wait for ever on a closed session. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass over every memorandum; returns the memoranda that moved and what it did with each. */
  async runOnce(at = new Date()): Promise<{ code: string; action: string; jobId?: string }[]> {
    const moved = await this.db.transaction(async (manager) => {
      const memoranda = await manager
        .createQueryBuilder(Memorandum, 'm')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .orderBy('m.code')
        .getMany();
      const done = [];
      for (const memorandum of memoranda) {
        const result = await this.settle(manager, memorandum, at, 'the day');
        if (result) done.push(result);
      }
      return done;
    });
    if (moved.some((m) => m.jobId)) this.rescreen.wake();
    return moved;
  }

  /**
   * Moves one memorandum (locked by the caller) to where its window stands at `at`: records the state
   * and the re-screening job that issues or lifts. Returns undefined when it did not move.
   */
  async settle(manager: EntityManager, memorandum: Memorandum, at: Date, why: string) {
    const target = windowStateAt(memorandum, at);
    if (target === memorandum.windowState) return undefined;
    const action = windowAction(memorandum.windowState, target);
    const window = `${memorandum.effectiveFrom ?? '…'} – ${memorandum.effectiveTo ?? '…'}`;
    let jobId: string | undefined;
    if (action !== 'none') {
      const measures = await manager.findBy(
        Measure,
        action === 'issue'
          ? { memorandumCode: memorandum.code, current: true }
          : { memorandumCode: memorandum.code }, // every version: what older ones issued is lifted too
      );
      const reason =
        action === 'issue'
          ? `memorandum ${memorandum.code} in effect (${window})`
          : `memorandum ${memorandum.code} not in effect (${window}): ${target === 'expired' ? 'expired' : 'not yet in effect'}`;
      if (measures.length > 0) {
        jobId = (await this.rescreen.enqueue(manager, action, measures, reason, `window: ${why}`)).id;
      }
    }
    this.logger.info(
      { memorandum: memorandum.code, from: memorandum.windowState, to: target, action, jobId },
      'memorandum window moved',
    );
    memorandum.windowState = target;
    memorandum.windowChangedAt = at;
    await manager.save(memorandum);
    return { code: memorandum.code, action, to: target, jobId };
  }
}
