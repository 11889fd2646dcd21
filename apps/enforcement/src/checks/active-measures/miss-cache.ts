import { LRUCache } from 'lru-cache';
import { ActiveMeasure } from '../check-decision';

export interface MissCacheOptions {
  /** identifiers kept at most (the least recently asked go first) */
  max: number;
  /** how long an answer is trusted: the backstop for an invalidation never announced */
  ttlMs: number;
  /** the clock (tests); performance.now by default */
  now?: () => number;
}

/**
 * What the check read from PostgreSQL while the complete index does not answer (start-up, a dirty
 * identifier, a set too large to hold), bounded and expiring. A read that overlapped an invalidation is
 * not kept: `ticket()` before reading, `set(…, ticket)` after — refused if anything was forgotten since.
 */
export class MissCache {
  private readonly cache: LRUCache<string, ActiveMeasure[]>;
  private generation = 0;

  constructor(options: MissCacheOptions) {
    this.cache = new LRUCache<string, ActiveMeasure[]>({
      max: options.max,
      ttl: options.ttlMs,
      // a clock of its own is read on every call (the default caches it for a millisecond)
      ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
    });
  }

  get size(): number {
    return this.cache.size;
  }

  get(key: string): ActiveMeasure[] | undefined {
    return this.cache.get(key);
  }

  /** The moment a read begins, for `set`. */
  ticket(): number {
    return this.generation;
  }

  /** Keeps what a read found, unless an invalidation came since its ticket; whether it was kept. */
  set(key: string, measures: ActiveMeasure[], ticket: number): boolean {
    if (ticket !== this.generation) return false;
    this.cache.set(key, measures);
    return true;
  }

  forget(keys: Iterable<string>): void {
    this.generation += 1;
    for (const key of keys) this.cache.delete(key);
  }

  clear(): void {
    this.generation += 1;
    this.cache.clear();
  }
}
