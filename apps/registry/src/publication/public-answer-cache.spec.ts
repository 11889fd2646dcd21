import { PublicAnswerCache } from './public-answer-cache';

describe('PublicAnswerCache', () => {
  it('serves an answer until it is older than the TTL, then computes it again', async () => {
    let now = 0;
    let computed = 0;
    const cache = new PublicAnswerCache<number>(1_000, 10, () => now);
    const compute = async () => ++computed;
    expect(await cache.get('q', compute)).toEqual({ value: 1, hit: false });
    now = 999;
    expect(await cache.get('q', compute)).toEqual({ value: 1, hit: true });
    now = 1_000;
    expect(await cache.get('q', compute)).toEqual({ value: 2, hit: false });
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const cache = new PublicAnswerCache<string>(60_000, 2);
    for (const k of ['a', 'b', 'c']) await cache.get(k, async () => k);
    expect(cache.size).toBe(2);
    let recomputed = false;
    await cache.get('a', async () => {
      recomputed = true;
      return 'a';
    });
    expect(recomputed).toBe(true);
  });

  it('lets concurrent misses of one key share one computation', async () => {
    const cache = new PublicAnswerCache<number>(60_000, 10);
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const compute = async () => {
      calls += 1;
      await gate;
      return 7;
    };
    const answers = Promise.all([cache.get('k', compute), cache.get('k', compute), cache.get('k', compute)]);
    release();
    expect((await answers).map((a) => a.value)).toEqual([7, 7, 7]);
    expect(calls).toBe(1);
  });

  it('caches nothing with a TTL or size of 0, and not a failed computation', async () => {
    let calls = 0;
    const off = new PublicAnswerCache<number>(0, 10);
    await off.get('k', async () => ++calls);
    await off.get('k', async () => ++calls);
    expect(calls).toBe(2);
    const cache = new PublicAnswerCache<number>(60_000, 10);
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 3)).toEqual({ value: 3, hit: false });
  });
});
