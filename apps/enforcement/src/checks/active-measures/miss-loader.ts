import DataLoader from 'dataloader';
import { ActiveMeasure } from '../check-decision';
import { MeasureQueries } from './measure-queries';

/** The most misses one query asks about. */
const MAX_BATCH = 256;
const NONE: ActiveMeasure[] = [];

/**
 * Reads the binding measures of identifiers the index does not answer for. Misses that arrive together
 * (the same turn of the event loop, so across requests: `setImmediate`) share one query — under load one
 * round trip to PostgreSQL for many checks instead of one each. No memory of its own (`cache: false`):
 * what may be kept is the miss cache's decision, which knows about invalidations.
 */
export class MissLoader {
  private readonly loader: DataLoader<string, ActiveMeasure[]>;

  constructor(queries: MeasureQueries, maxBatch = MAX_BATCH) {
    this.loader = new DataLoader<string, ActiveMeasure[]>(
      async (keys) => {
        const byKey = new Map<string, ActiveMeasure[]>();
        for (const row of await queries.bindingUnder(keys)) {
          for (const key of row.keys) {
            const list = byKey.get(key);
            if (list) list.push(row.measure);
            else byKey.set(key, [row.measure]);
          }
        }
        return keys.map((key) => byKey.get(key) ?? NONE);
      },
      { cache: false, maxBatchSize: maxBatch, batchScheduleFn: (run) => setImmediate(run) },
    );
  }

  load(identifier: string): Promise<ActiveMeasure[]> {
    return this.loader.load(identifier);
  }
}
