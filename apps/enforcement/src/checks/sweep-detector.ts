import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { Logger } from 'pino';
import type { Principal } from '@credit/auth';
import { metricsRegistry, QuotaCounter, ROOT_LOGGER } from '@credit/platform';

/** When batch checks look like a sweep over an identifier range rather than a department's casework. */
export interface SweepOptions {
  /** A batch with more subjects than this that the platform holds nothing about is suspect on its own. */
  batchMisses: number;
  /** …and so is a department whose batches missed more than this within `windowMs`. */
  windowMisses: number;
  windowMs: number;
}

export const SWEEP_OPTIONS = Symbol('SWEEP_OPTIONS');

export const DEFAULT_SWEEP_OPTIONS: SweepOptions = {
  batchMisses: 500,
  windowMisses: 5_000,
  windowMs: 600_000,
};

export const sweepSuspected = new Counter({
  name: 'credit_check_sweep_suspected_total',
  help: 'Batch checks that looked like a sweep over an identifier range (many subjects without any entry), by department',
  labelNames: ['dept'],
  registers: [metricsRegistry],
});

/**
 * Watches batch checks for sweeps: a caller enumerating ID numbers learns who is listed from the few hits
 * among many misses. Counts misses per batch and per department over a sliding window (in this replica);
 * raises `credit_check_sweep_suspected_total{dept}` and logs the counts — never the identifiers.
 */
@Injectable()
export class SweepDetector {
  private readonly windows = new Map<string, QuotaCounter>();
  private readonly log: Logger;

  constructor(
    @Inject(SWEEP_OPTIONS) private readonly options: SweepOptions,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ service: 'enforcement', component: 'check-sweeps' });
  }

  /** After a batch of `subjects` checks of which `misses` found no measure at all. */
  observe(principal: Principal, subjects: number, misses: number, now = Date.now()): boolean {
    const window = this.windowOf(principal.dept, now);
    window.roll(now);
    window.add(misses, now);
    const windowMisses = Math.round(window.estimate(now));
    const trigger =
      misses > this.options.batchMisses
        ? 'batch'
        : windowMisses > this.options.windowMisses
          ? 'window'
          : null;
    if (!trigger) return false;
    sweepSuspected.inc({ dept: principal.dept });
    this.log.warn(
      { dept: principal.dept, sub: principal.sub, subjects, misses, windowMisses, trigger },
      'check sweep suspected: batch checks of many subjects the platform holds nothing about',
    );
    return true;
  }

  private windowOf(dept: string, now: number): QuotaCounter {
    let window = this.windows.get(dept);
    if (!window) {
      window = new QuotaCounter(dept, this.options.windowMisses, this.options.windowMs);
      this.windows.set(dept, window);
    }
    // departments are few: forget the quiet ones now and then rather than keep a timer
    if (this.windows.size > 1_000) {
      for (const [key, w] of this.windows)
        if (now - w.lastUsed > 2 * this.options.windowMs) this.windows.delete(key);
    }
    return window;
  }
}
