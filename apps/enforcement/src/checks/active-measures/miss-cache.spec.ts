import { MissCache } from './miss-cache';
import { measureOf } from './measure-queries.fake';

const measures = [measureOf({ id: 'a', subjectId: 'A', mode: 'block' })];

describe('MissCache', () => {
  it('keeps what a read found when nothing was forgotten since its ticket', () => {
    const cache = new MissCache({ max: 10, ttlMs: 1000 });
    expect(cache.set('A', measures, cache.ticket())).toBe(true);
    expect(cache.get('A')).toBe(measures);
  });

  it('refuses a read that overlapped an invalidation or a clear, of any identifier', () => {
    const cache = new MissCache({ max: 10, ttlMs: 1000 });
    const ticket = cache.ticket();
    cache.forget(['OTHER']);
    expect(cache.set('A', measures, ticket)).toBe(false);
    const next = cache.ticket();
    cache.clear();
    expect(cache.set('A', measures, next)).toBe(false);
    expect(cache.get('A')).toBeUndefined();
  });

  it('forgets what it is told to, and everything on clear', () => {
    const cache = new MissCache({ max: 10, ttlMs: 1000 });
    cache.set('A', measures, cache.ticket());
    cache.set('B', [], cache.ticket());
    cache.forget(['A']);
    expect(cache.get('A')).toBeUndefined();
    expect(cache.get('B')).toEqual([]);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('is bounded: the least recently asked goes first', () => {
    const cache = new MissCache({ max: 2, ttlMs: 1000 });
    cache.set('A', [], cache.ticket());
    cache.set('B', [], cache.ticket());
    cache.get('A');
    cache.set('C', [], cache.ticket());
    expect(cache.size).toBe(2);
    expect(cache.get('B')).toBeUndefined();
    expect(cache.get('A')).toEqual([]);
  });

  it('trusts an answer for its time to live only', () => {
    let now = 1_000;
    const cache = new MissCache({ max: 10, ttlMs: 30_000, now: () => now });
    cache.set('A', measures, cache.ticket());
    now += 29_999;
    expect(cache.get('A')).toBe(measures);
    now += 2;
    expect(cache.get('A')).toBeUndefined();
  });
});
