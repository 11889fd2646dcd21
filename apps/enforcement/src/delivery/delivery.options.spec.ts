import { enforcementSettingsFromEnv } from '../config';
import { DEFAULT_DELIVERY_OPTIONS, retryDelayMs } from './delivery.options';

describe('delivery options', () => {
  it('backs off 30 s, 1 min, 2 min … capped at 1 h', () => {
    const delays = [1, 2, 3, 4, 8, 9, 30].map((n) => retryDelayMs(n, DEFAULT_DELIVERY_OPTIONS));
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000, 3_600_000]);
  });

  it('retries for about a day with the defaults before giving up', () => {
    let total = 0;
    for (let n = 1; n < DEFAULT_DELIVERY_OPTIONS.maxAttempts; n += 1)
      total += retryDelayMs(n, DEFAULT_DELIVERY_OPTIONS);
    expect(total).toBeGreaterThan(20 * 3_600_000);
  });

  it('reads the environment, and names a bad variable', () => {
    const delivery = (env: NodeJS.ProcessEnv) =>
      enforcementSettingsFromEnv({ NODE_ENV: 'test', ...env }).delivery;
    expect(delivery({ DELIVERY_RETRY_BASE_MS: '20' }).retryBaseMs).toBe(20);
    expect(delivery({}).timeoutMs).toBe(5_000);
    expect(() => delivery({ DELIVERY_MAX_ATTEMPTS: 'many' })).toThrow(/DELIVERY_MAX_ATTEMPTS/);
  });
});
