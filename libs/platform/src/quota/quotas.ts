import { OnApplicationShutdown } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { Logger } from 'pino';
import type { Principal } from '@credit/auth';
import { metricsRegistry } from '../metrics';
import { QuotaCounter } from './quota-counter';
import { QuotaExceededError, QuotaScope } from './quota-exceeded';
import { QuotaExchange, QuotaStore } from './quota-store';

/** What is counted: each bucket has its own limits (API.md "Quotas"). */
export const QUOTA_BUCKETS = ['checks', 'lookups', 'exports', 'public'] as const;
export type QuotaBucketName = (typeof QUOTA_BUCKETS)[number];

/** Per window; 0 (or absent) is no limit. */
export interface QuotaLimits {
  /** per caller (the token's `sub` within its department) */
  perToken?: number;
  /** per department (every token of it together) */
  perDepartment?: number;
  /** per client address, for routes without a token (`/public/v1/*`) */
  perClient?: number;
}

export interface QuotaOptions {
  windowMs: number;
  /** How often this replica adds its counts to the shared store and reads the totals back. */
  syncMs: number;
  limits: Record<QuotaBucketName, QuotaLimits>;
  /** Store keys start with this (a deployment's or a test run's namespace). */
  keyPrefix: string;
}

export const quotaExceeded = new Counter({
  name: 'quota_exceeded_total',
  help: 'Requests refused with 429 because a quota was used up, by bucket and scope (token, department, client)',
  labelNames: ['bucket', 'scope'],
  registers: [metricsRegistry],
});

export const quotaStoreFailures = new Counter({
  name: 'quota_store_failures_total',
  help: 'Failed exchanges with the shared quota store (Redis): each replica counts alone meanwhile (fail open)',
  registers: [metricsRegistry],
});

interface CallerCounters {
  token?: QuotaCounter;
  department?: QuotaCounter;
}

const IDLE_SWEEP_MS = 10_000;

/**
 * Quotas counted in this process and, in the distributed mode, added up across replicas through a shared
 * store every `syncMs`: a request is decided from memory in O(1) (no store round trip, no promise), and
 * replicas learn each other's counts within an interval. When the store cannot be reached, each replica
 * goes on counting alone (fail open: requests are answered, limits hold per replica) and says so once in
 * the log and on every failed exchange in `quota_store_failures_total`.
 */
export class Quotas implements OnApplicationShutdown {
  private readonly buckets = new Map<QuotaBucketName, QuotaBucket>();
  private readonly counters = new Map<string, QuotaCounter>();
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private storeDown = false;
  private lastSweep = 0;

  constructor(
    readonly options: QuotaOptions,
    private readonly logger: Logger,
    private readonly store?: QuotaStore,
    readonly now: () => number = Date.now,
  ) {
    for (const name of QUOTA_BUCKETS)
      this.buckets.set(name, new QuotaBucket(name, options.limits[name], this));
    this.timer = setInterval(() => void this.sync(), store ? options.syncMs : IDLE_SWEEP_MS);
    this.timer.unref();
  }

  bucket(name: QuotaBucketName): QuotaBucket {
    return this.buckets.get(name)!;
  }

  /** The counter of `key` (made on first use). */
  counter(key: string, limit: number): QuotaCounter {
    let counter = this.counters.get(key);
    if (!counter) {
      counter = new QuotaCounter(key, limit, this.options.windowMs);
      this.counters.set(key, counter);
    }
    return counter;
  }

  /** One exchange with the store (every `syncMs`; tests call it themselves), and the idle sweep. */
  async sync(): Promise<void> {
    if (this.syncing) return this.syncing;
    this.syncing = this.exchange().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /**
   * Sends what this replica counted since the last exchange and reads the shared totals back, for every
   * counter used within the last window (also those with nothing new: their totals stay fresh for when
   * the caller comes back to this replica).
   */
  private async exchange(): Promise<void> {
    const now = this.now();
    if (now - this.lastSweep >= IDLE_SWEEP_MS) this.sweep(now);
    if (!this.store) return;
    const sent: QuotaCounter[] = [];
    const items: QuotaExchange[] = [];
    const windows: number[] = [];
    for (const counter of this.counters.values()) {
      if (now - counter.lastUsed > this.options.windowMs) continue;
      counter.roll(now);
      counter.inflight = counter.pending;
      counter.pending = 0;
      sent.push(counter);
      windows.push(counter.window);
      items.push({
        key: counter.key,
        window: counter.window,
        add: counter.inflight,
        ttlMs: 2 * this.options.windowMs,
      });
    }
    if (items.length === 0) return;
    try {
      const totals = await this.store.exchange(items);
      sent.forEach((counter, i) => {
        if (counter.window !== windows[i]) return; // rolled meanwhile: the answer is about the old window
        counter.seen = Math.max(counter.seen, totals[i]);
        counter.inflight = 0;
      });
      if (this.storeDown) {
        this.storeDown = false;
        this.logger.info('quota store reachable again: quotas are shared across replicas');
      }
    } catch (err) {
      quotaStoreFailures.inc();
      if (!this.storeDown) {
        this.storeDown = true;
        this.logger.warn(
          { err },
          'quota store unreachable: each replica counts its own requests until it answers (fail open)',
        );
      }
      sent.forEach((counter, i) => {
        if (counter.window === windows[i]) counter.pending += counter.inflight; // sent with the next one
        counter.inflight = 0;
      });
    }
  }

  /** Forgets counters unused for two windows (their holders look them up again). */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, counter] of this.counters) {
      if (now - counter.lastUsed > 2 * this.options.windowMs) {
        counter.retired = true;
        this.counters.delete(key);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing;
    await this.store?.close();
  }
}

/**
 * One bucket's limits. `charge` and `admit` run on the check's hot path: the caller's counters are found
 * through its principal object (the token verifier hands out the same object for a token while it is
 * cached), so a request costs two counter updates and no allocation.
 */
export class QuotaBucket {
  private readonly callers = new WeakMap<Principal, CallerCounters>();
  private readonly perToken: number;
  private readonly perDepartment: number;
  private readonly perClient: number;

  constructor(
    readonly name: QuotaBucketName,
    limits: QuotaLimits,
    private readonly quotas: Quotas,
  ) {
    this.perToken = limits.perToken ?? 0;
    this.perDepartment = limits.perDepartment ?? 0;
    this.perClient = limits.perClient ?? 0;
  }

  /** `charge` for a principal or the promise of one (the check's route has either). */
  admit<P extends Principal | Promise<Principal>>(principal: P, cost = 1): P {
    if (principal instanceof Promise) return principal.then((p) => this.charge(p, cost)) as P;
    return this.charge(principal as Principal, cost) as P;
  }

  /** Counts `cost` requests of `principal` (a batch: its subjects) or throws 429 and counts nothing. */
  charge(principal: Principal, cost = 1): Principal {
    const now = this.quotas.now();
    const { token, department } = this.countersOf(principal, now);
    token?.roll(now);
    department?.roll(now);
    if (token && !token.fits(now, cost)) throw this.exceeded(token, 'token', now, cost);
    if (department && !department.fits(now, cost)) throw this.exceeded(department, 'department', now, cost);
    token?.add(cost, now);
    department?.add(cost, now);
    return principal;
  }

  /** Counts a request without a token by its client address (the public routes). */
  chargeClient(address: string, cost = 1): void {
    if (this.perClient <= 0) return;
    const now = this.quotas.now();
    const counter = this.quotas.counter(this.key('client', address), this.perClient);
    counter.roll(now);
    if (!counter.fits(now, cost)) throw this.exceeded(counter, 'client', now, cost);
    counter.add(cost, now);
  }

  private countersOf(principal: Principal, now: number): CallerCounters {
    const known = this.callers.get(principal);
    if (known && !known.token?.retired && !known.department?.retired) return known;
    const counters: CallerCounters = {};
    if (this.perToken > 0) {
      counters.token = this.quotas.counter(
        this.key('token', `${principal.dept}/${principal.sub}`),
        this.perToken,
      );
    }
    // a subject's own token has no department
    if (this.perDepartment > 0 && principal.dept) {
      counters.department = this.quotas.counter(this.key('department', principal.dept), this.perDepartment);
    }
    counters.token?.add(0, now);
    counters.department?.add(0, now);
    this.callers.set(principal, counters);
    return counters;
  }

  private key(scope: QuotaScope, id: string): string {
    return `${this.quotas.options.keyPrefix}${this.name}:${scope}:${id}`;
  }

  private exceeded(counter: QuotaCounter, scope: QuotaScope, now: number, cost: number): QuotaExceededError {
    quotaExceeded.inc({ bucket: this.name, scope });
    const retryAfter = Math.max(1, Math.ceil(counter.waitMs(now, cost) / 1000));
    return new QuotaExceededError(
      this.name,
      scope,
      counter.limit,
      Math.round(this.quotas.options.windowMs / 1000),
      retryAfter,
    );
  }
}
