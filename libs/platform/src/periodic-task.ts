import type { Logger } from 'pino';
import { outsideAnyTrace } from './tracing/trace-context';

/**
 * Runs `pass` every `intervalMs` (0: never — tests call the pass themselves), one pass at a time per
 * process; `stop` waits for the pass under way. Several replicas may each run one: the passes themselves
 * must be safe with that (row locks with SKIP LOCKED, advisory locks).
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly pass: () => Promise<unknown>,
    private readonly logger: Logger,
    private readonly name: string,
  ) {}

  start(): void {
    this.stopped = false;
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Starts a pass now (work was just recorded) unless one is under way or the task stopped. */
  wake(): void {
    // the pass is the task's, not the waking request's: it does not join that request's trace
    outsideAnyTrace(() => void this.tick());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = this.pass().then(
      () => undefined,
      (err: unknown) => this.logger.error({ err }, `${this.name} failed; the next pass retries`),
    );
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }
}
