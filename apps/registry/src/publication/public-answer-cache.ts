/**
 * Answers of the public routes kept in memory for a short time: many anonymous readers ask the same few
 * questions. Bounded by count (the oldest goes first) and by age; concurrent misses of one key share one
 * computation, so a burst of identical queries reaches the database once.
 */
export class PublicAnswerCache<T> {
  private readonly answers = new Map<string, { value: T; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached answer for `key`, or `compute`'s (then cached); `hit` tells which. */
  async get(key: string, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return { value: await compute(), hit: false };
    const now = this.clock();
    const cached = this.answers.get(key);
    if (cached && cached.expiresAt > now) return { value: cached.value, hit: true };
    if (cached) this.answers.delete(key);
    const running = this.pending.get(key);
    if (running) return { value: await running, hit: true };
    const computing = compute();
    this.pending.set(key, computing);
    try {
      const value = await computing;
      this.store(key, value, now + this.ttlMs);
      return { value, hit: false };
    } finally {
      this.pending.delete(key);
    }
  }

  get size(): number {
    return this.answers.size;
  }

  private store(key: string, value: T, expiresAt: number): void {
    this.answers.delete(key);
    this.answers.set(key, { value, expiresAt });
    // a Map iterates in insertion order: the first key is the oldest
    while (this.answers.size > this.maxEntries) this.answers.delete(this.answers.keys().next().value!);
  }
}
