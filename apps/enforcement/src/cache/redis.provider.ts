import { OnApplicationShutdown, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { HealthRegistry } from '@credit/platform';
import { ENFORCEMENT_REDIS } from '../enforcement.tokens';

/** Closes the Redis connection with the application. */
class RedisHandle implements OnApplicationShutdown {
  constructor(readonly client: Redis) {}
  async onApplicationShutdown() {
    this.client.disconnect();
  }
}

/** Redis backs the check's cache of active measures (PostgreSQL stays the truth). */
export function redisProviders(url: string): Provider[] {
  return [
    {
      provide: RedisHandle,
      inject: [HealthRegistry],
      useFactory: (health: HealthRegistry) => {
        const client = new Redis(url, {
          lazyConnect: false,
          maxRetriesPerRequest: 2,
          enableOfflineQueue: false,
        });
        client.on('error', () => undefined); // readiness reports it; ioredis reconnects by itself
        health.register('enforcement.redis', async () => {
          if ((await client.ping()) !== 'PONG') throw new Error('redis did not answer PONG');
        });
        return new RedisHandle(client);
      },
    },
    { provide: ENFORCEMENT_REDIS, inject: [RedisHandle], useFactory: (h: RedisHandle) => h.client },
  ];
}
