import { OnApplicationShutdown, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { HealthRegistry } from '@credit/platform';
import {
  CacheInvalidationChannel,
  encodeAnnouncement,
  InProcessInvalidationChannel,
  InvalidationListener,
} from './invalidation-channel';

const CHANNEL = 'credit:enforcement:active-measures';

/** Owns the Redis connection: closes it with the application and stops it reconnecting. */
class RedisHandle implements OnApplicationShutdown {
  closing = false;
  readonly client: Redis;

  constructor(url: string) {
    this.client = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: false,
      // disconnect() on an already-closed socket leaves this timer running: keep it short
      disconnectTimeout: 100,
      // ioredis keeps its reconnect timer after disconnect() while reconnecting: stop retrying ourselves
      retryStrategy: (times) => (this.closing ? null : Math.min(times * 200, 2000)),
    });
    this.client.on('error', () => undefined); // readiness reports it; ioredis reconnects by itself
  }

  async onApplicationShutdown() {
    this.closing = true;
    this.client.disconnect(false);
  }
}

/** The invalidation channel between replicas over Redis pub/sub; a dedicated connection subscribes. */
export class RedisInvalidationChannel extends CacheInvalidationChannel implements OnApplicationShutdown {
  private readonly subscribers: Redis[] = [];

  constructor(private readonly redis: Redis) {
    super();
  }

  listen(listener: InvalidationListener): void {
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscribers.push(subscriber);
    const lost = () => listener.lost();
    subscriber.on('error', () => undefined);
    subscriber.on('close', lost);
    subscriber.on('end', lost);
    subscriber.on('reconnecting', lost);
    subscriber.on('ready', () => {
      subscriber.subscribe(CHANNEL).then(
        () => listener.connected(),
        () => lost(),
      );
    });
    subscriber.on('message', (_channel: string, message: string) => listener.message(message));
  }

  async announce(keys: string[], endedEntries?: string[]): Promise<void> {
    await this.redis.publish(CHANNEL, encodeAnnouncement(keys, endedEntries));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const subscriber of this.subscribers) subscriber.disconnect(false);
  }
}

/** Redis carries the check's cache invalidations between replicas (PostgreSQL stays the truth). */
export function redisProviders(url: string): Provider[] {
  return [
    {
      provide: RedisHandle,
      inject: [HealthRegistry],
      useFactory: (health: HealthRegistry) => {
        const handle = new RedisHandle(url);
        health.register('enforcement.redis', async () => {
          if ((await handle.client.ping()) !== 'PONG') throw new Error('redis did not answer PONG');
        });
        return handle;
      },
    },
    {
      provide: CacheInvalidationChannel,
      inject: [RedisHandle],
      useFactory: (h: RedisHandle) => new RedisInvalidationChannel(h.client),
    },
  ];
}

/** One process (the embedded mode): invalidations stay in memory, no Redis. */
export function inProcessCacheProviders(): Provider[] {
  return [{ provide: CacheInvalidationChannel, useValue: new InProcessInvalidationChannel() }];
}
