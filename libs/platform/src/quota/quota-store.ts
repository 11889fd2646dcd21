import Redis from 'ioredis';

/** This replica's additions to one key's count in one fixed window. */
export interface QuotaExchange {
  /** `<prefix><bucket>:<scope>:<id>` */
  key: string;
  window: number;
  add: number;
  /** How long the shared count must outlive its window (it serves as the next window's previous one). */
  ttlMs: number;
}

/**
 * Where the replicas of a service add up their counts (Redis in the distributed mode). `exchange` adds
 * each replica's share and answers the shared totals, in order; it rejects when the store cannot be
 * reached (the caller then goes on counting alone).
 */
export interface QuotaStore {
  exchange(items: readonly QuotaExchange[]): Promise<number[]>;
  close(): Promise<void>;
}

/** The shared counts in Redis: one INCRBY and PEXPIRE per key and window, pipelined per exchange. */
export class RedisQuotaStore implements QuotaStore {
  private readonly client: Redis;
  private closing = false;

  constructor(url: string) {
    this.client = new Redis(url, {
      lazyConnect: false,
      // never queue or retry behind a check: a failed exchange is retried at the next interval
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 1_000,
      disconnectTimeout: 100,
      retryStrategy: (times) => (this.closing ? null : Math.min(times * 200, 2_000)),
    });
    this.client.on('error', () => undefined); // Quotas logs failed exchanges; ioredis reconnects
  }

  async exchange(items: readonly QuotaExchange[]): Promise<number[]> {
    const pipeline = this.client.pipeline();
    for (const item of items) {
      const key = `${item.key}:${item.window}`;
      pipeline.incrby(key, item.add);
      pipeline.pexpire(key, item.ttlMs);
    }
    const results = (await pipeline.exec()) ?? [];
    const totals: number[] = [];
    for (let i = 0; i < items.length; i += 1) {
      const [err, total] = results[2 * i] ?? [new Error('no reply')];
      if (err) throw err;
      totals.push(Number(total));
    }
    return totals;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.client.disconnect(false);
  }
}
