import { QuotaCounter } from './quota-counter';

describe('QuotaCounter (sliding window from two fixed windows)', () => {
  const W = 60_000;
  const start = 100 * W; // the start of a window

  it('admits up to the limit in a window and no more', () => {
    const c = new QuotaCounter('k', 3, W);
    c.roll(start);
    for (let i = 0; i < 3; i += 1) {
      expect(c.fits(start + i, 1)).toBe(true);
      c.add(1, start + i);
    }
    expect(c.fits(start + 3, 1)).toBe(false);
  });

  it('weights the previous window by how much of it is still inside the sliding window', () => {
    const c = new QuotaCounter('k', 10, W);
    c.roll(start);
    c.add(10, start);
    // a quarter into the next window three quarters of the previous count still weigh: 7.5 of 10
    c.roll(start + W + W / 4);
    expect(c.estimate(start + W + W / 4)).toBeCloseTo(7.5);
    expect(c.fits(start + W + W / 4, 2)).toBe(true);
    expect(c.fits(start + W + W / 4, 3)).toBe(false);
    // no burst of twice the limit across the boundary (a fixed window would allow 10 more at once)
    expect(c.fits(start + W, 1)).toBe(false);
  });

  it('forgets everything after two windows', () => {
    const c = new QuotaCounter('k', 5, W);
    c.roll(start);
    c.add(5, start);
    c.roll(start + 2 * W);
    expect(c.estimate(start + 2 * W)).toBe(0);
  });

  it('tells how long until a request fits', () => {
    const c = new QuotaCounter('k', 10, W);
    c.roll(start);
    c.add(10, start + W / 2);
    // the current window alone is full: into the next one until its weight has fallen by one
    expect(c.waitMs(start + W / 2, 1)).toBeCloseTo(W / 2 + W / 10);
    c.roll(start + W);
    // in the next window: the previous one's 10 fall to 9 after a tenth of it
    expect(c.waitMs(start + W, 1)).toBeCloseTo(W / 10);
    expect(c.waitMs(start + W + W / 10, 1)).toBe(0);
    // more than the limit at once never fits: a full window and the rest of this one
    expect(c.waitMs(start + W, 11)).toBe(2 * W);
  });

  it('counts what is being sent to the store and what was seen there', () => {
    const c = new QuotaCounter('k', 10, W);
    c.roll(start);
    c.seen = 4;
    c.inflight = 2;
    c.add(3, start);
    expect(c.total()).toBe(9);
    expect(c.fits(start, 1)).toBe(true);
    expect(c.fits(start, 2)).toBe(false);
  });
});
