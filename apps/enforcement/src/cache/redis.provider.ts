import { OnApplicationShutdown, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { HealthRegistry } from '@credit/platform';
import { ENFORCEMENT_REDIS } from '../enforcement.tokens';

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

/** Redis backs the check's cache of active measures (PostgreSQL stays the truth). */
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
    { provide: ENFORCEMENT_REDIS, inject: [RedisHandle], useFactory: (h: RedisHandle) => h.client },
  ];
}
