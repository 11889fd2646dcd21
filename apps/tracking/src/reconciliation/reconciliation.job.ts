import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { RECONCILIATION_OPTIONS, ReconciliationOptions } from './reconciliation.options';
import { RunReconciliationUseCase } from './run-reconciliation.usecase';

/** 对账 on its own schedule: a pass (RunReconciliationUseCase) every interval, on every replica. */
@Injectable()
export class ReconciliationJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    runReconciliation: RunReconciliationUseCase,
    @Inject(RECONCILIATION_OPTIONS) options: ReconciliationOptions,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.task = new PeriodicTask(
      options.intervalMs,
      () => runReconciliation.execute(),
      logger.child({ service: 'tracking', component: 'reconciliation-job' }),
      'reconciliation',
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
