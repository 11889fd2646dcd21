/**
 * One caller's count against one limit, over a sliding window approximated from two fixed windows (the
 * current one and the one before, weighted by how much of it still lies inside the sliding window): no
 * burst of twice the limit across a window boundary, and two numbers per key.
 *
 * Counts are kept here and pushed to a shared store (Redis) in short intervals by `Quotas`: `seen` is the
 * shared total of the current window at the last exchange (this replica's share included), `pending` what
 * this replica added since. The decision never waits for the store.
 */
export class QuotaCounter {
  /** Index of the current fixed window (time / windowMs). */
  window = -1;
  /** Shared total of the previous window, as last known. */
  previous = 0;
  /** Shared total of the current window at the last exchange with the store. */
  seen = 0;
  /** Added here and being sent to the store (its answer replaces `seen`). */
  inflight = 0;
  /** Added here since the last exchange (not yet in the store). */
  pending = 0;
  /** Dropped from the registry of counters (idle): a holder must look the key up again. */
  retired = false;
  /** Last time something was charged, for retiring idle counters. */
  lastUsed = 0;

  constructor(
    /** The store key without the window (`<prefix><bucket>:<scope>:<id>`). */
    readonly key: string,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Moves to the window of `now`: the current window becomes the previous one, or both go. */
  roll(now: number): void {
    const window = Math.floor(now / this.windowMs);
    if (window === this.window) return;
    this.previous = window === this.window + 1 ? this.total() : 0;
    this.seen = 0;
    this.inflight = 0;
    this.pending = 0;
    this.window = window;
  }

  /** The sliding-window count at `now` (call `roll` first). */
  estimate(now: number): number {
    const elapsed = now - this.window * this.windowMs;
    return this.previous * (1 - elapsed / this.windowMs) + this.total();
  }

  /** The current window's count as this replica knows it. */
  total(): number {
    return this.seen + this.inflight + this.pending;
  }

  /** Whether `cost` more fits at `now` (after `roll`). */
  fits(now: number, cost: number): boolean {
    return this.estimate(now) + cost <= this.limit;
  }

  add(cost: number, now: number): void {
    this.pending += cost;
    this.lastUsed = now;
  }

  /**
   * How long until `cost` fits, in ms: the previous window's weight falls linearly; if the current
   * window alone is too full, into the next window, where the current one becomes the fading one.
   */
  waitMs(now: number, cost: number): number {
    const elapsed = now - this.window * this.windowMs;
    const current = this.total();
    if (cost > this.limit) return this.windowMs - elapsed + this.windowMs;
    if (current + cost <= this.limit) {
      if (this.previous <= 0) return 0;
      const until = this.windowMs * (1 - (this.limit - current - cost) / this.previous);
      return Math.max(0, until - elapsed);
    }
    const intoNext = this.windowMs * (1 - (this.limit - cost) / current);
    return this.windowMs - elapsed + Math.max(0, intoNext);
  }
}
