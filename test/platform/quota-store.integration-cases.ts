import pino from 'pino';
import type { Principal } from '@credit/auth';
import { QuotaExceededError, QuotaOptions, Quotas, RedisQuotaStore } from '@credit/platform';
import { uniquePrefix } from '../support/infra';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two replicas sharing their counts through the real Redis; a Redis that is not there. */
describe('quotas shared through Redis', () => {
  const made: Quotas[] = [];
  const options = (): QuotaOptions => ({
    windowMs: 60_000,
    syncMs: 25,
    keyPrefix: `credit:quota:${uniquePrefix()}`,
    limits: { checks: { perDepartment: 10 }, lookups: {}, exports: {}, public: {} },
  });
  const replica = (o: QuotaOptions, url = REDIS_URL) => {
    const q = new Quotas(o, pino({ level: 'silent' }), new RedisQuotaStore(url));
    made.push(q);
    return q;
  };
  const charge = (q: Quotas, sub: string) => {
    try {
      q.bucket('checks').charge({ dept: 'FINANCE', sub, roles: ['system'] } as Principal);
      return 'ok';
    } catch (err) {
      if (err instanceof QuotaExceededError) return 'refused';
      throw err;
    }
  };

  afterAll(async () => {
    for (const q of made) await q.onApplicationShutdown();
  });

  it('refuses on every replica once the replicas together used the quota', async () => {
    const o = options();
    const one = replica(o);
    const two = replica(o);
    for (let i = 0; i < 5; i += 1) expect(charge(one, `a${i}`)).toBe('ok');
    for (let i = 0; i < 5; i += 1) expect(charge(two, `b${i}`)).toBe('ok');
    // within a few sync intervals each replica knows the other's count
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (charge(one, 'probe') === 'ok' || charge(two, 'probe') === 'ok')) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(charge(one, 'late')).toBe('refused');
    expect(charge(two, 'late')).toBe('refused');
  });

  it('answers from memory when Redis cannot be reached (fail open)', async () => {
    const alone = replica(options(), 'redis://127.0.0.1:1');
    for (let i = 0; i < 10; i += 1) expect(charge(alone, `c${i}`)).toBe('ok');
    await alone.sync();
    // still limited by its own count
    expect(charge(alone, 'c10')).toBe('refused');
  });
});
