import type { Logger } from 'pino';
import { BindingIndex } from './binding-index';
import { MeasureQueries } from './measure-queries';

/** The most dirty identifiers one read asks about. */
const MAX_KEYS = 1000;
const RETRY_MS = 100;

/**
 * Reads dirty identifiers again, soon after they were marked (the next turn of the event loop: the
 * marks of one burst share a read), and puts what it read in the index it read for — unless that index
 * was replaced meanwhile, or an identifier changed again (then it stays dirty and is read again).
 */
export class DirtyReader {
  private scheduled = false;
  private reading?: Promise<void>;

  constructor(
    private readonly queries: MeasureQueries,
    private readonly current: () => BindingIndex | undefined,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** The read under way, if any. */
  get pending(): Promise<void> | undefined {
    return this.reading;
  }

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const reading = this.read().finally(() => {
        if (this.reading === reading) this.reading = undefined;
      });
      this.reading = reading;
    });
  }

  private async read(): Promise<void> {
    const index = this.current();
    if (!index || index.dirtyCount === 0) return;
    const taken = index.takeDirty(MAX_KEYS);
    let rows;
    try {
      rows = await this.queries.bindingUnder([...taken.keys()]);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not read changed subjects; retrying');
      setTimeout(() => this.schedule(), RETRY_MS).unref();
      return;
    }
    if (this.current() !== index) return; // replaced meanwhile (the new one was read whole)
    index.applyReload(taken, rows);
    if (index.dirtyCount > 0) this.schedule();
  }
}
