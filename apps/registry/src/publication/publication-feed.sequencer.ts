import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { metricsRegistry, PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { REGISTRY_DB } from '../registry.tokens';
import { sequenceFeed } from './publication-feed';
import { lastFeedAppendAt } from './publication.store';
import { PUBLICATION_OPTIONS, PublicationOptions } from './publication.options';

const feedLag = new Histogram({
  name: 'credit_publication_feed_lag_seconds',
  help: 'From the commit of a publication or withdrawal to its position in the feed external platforms pull',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

/** A change appended here has usually committed within this (an import, later: the idle passes find it). */
const BUSY_WINDOW_MS = 30_000;
/** Without a change of its own, a replica still looks this often (another's may have died before it). */
const IDLE_PASS_MS = 5_000;

/**
 * Sequences the publication feed every few hundred ms while this process appends to it (and a while
 * after), every few seconds otherwise, and whenever a platform pulls it: an idle platform does not
 * query its database four times a second (the embedded mode has one session).
 */
@Injectable()
export class PublicationFeedSequencer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(PUBLICATION_OPTIONS) options: PublicationOptions,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    const log = logger.child({ service: 'registry', component: 'publication-feed' });
    this.task = new PeriodicTask(
      options.feedSequenceIntervalMs,
      () => this.periodicPass(),
      log,
      'feed sequencing',
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /** Before the database closes: a pass still running would wait for ever on a closed session. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  private lastPassAt = 0;

  private async periodicPass(): Promise<number> {
    const now = Date.now();
    if (now - lastFeedAppendAt() > BUSY_WINDOW_MS && now - this.lastPassAt < IDLE_PASS_MS) return 0;
    return this.pass();
  }

  /** Sequences what is committed; answers how many changes got a position. */
  async pass(): Promise<number> {
    this.lastPassAt = Date.now();
    const lags = await sequenceFeed(this.db);
    for (const lag of lags) feedLag.observe(Math.max(0, lag));
    return lags.length;
  }
}
