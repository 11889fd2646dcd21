import pino from 'pino';
import { Writable } from 'node:stream';
import type { Principal } from '@credit/auth';
import { QuotaExceededError } from './quota-exceeded';
import { QuotaExchange, QuotaStore } from './quota-store';
import { quotaStoreFailures, QuotaOptions, Quotas } from './quotas';

const W = 60_000;

function options(limits: Partial<QuotaOptions['limits']> = {}): QuotaOptions {
  return {
    windowMs: W,
    syncMs: 100_000, // the tests exchange by hand
    keyPrefix: 'test:',
    limits: { checks: {}, lookups: {}, exports: {}, public: {}, ...limits },
  };
}

/** One Redis shared by several replicas, in memory; `down` makes every exchange fail. */
class SharedStore implements QuotaStore {
  readonly counts = new Map<string, number>();
  down = false;
  async exchange(items: readonly QuotaExchange[]): Promise<number[]> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    return items.map((i) => {
      const key = `${i.key}:${i.window}`;
      const total = (this.counts.get(key) ?? 0) + i.add;
      this.counts.set(key, total);
      return total;
    });
  }
  async close() {}
}

function logged() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const principal = (dept: string, sub: string): Principal => ({ dept, sub, roles: ['system'] });

function tryCharge(quotas: Quotas, p: Principal, cost = 1): QuotaExceededError | undefined {
  try {
    quotas.bucket('checks').charge(p, cost);
    return undefined;
  } catch (err) {
    if (err instanceof QuotaExceededError) return err;
    throw err;
  }
}

describe('Quotas', () => {
  let clock = 10 * W;
  const now = () => clock;
  const made: Quotas[] = [];
  const make = (o: QuotaOptions, store?: QuotaStore) => {
    const q = new Quotas(o, logged().logger, store, now);
    made.push(q);
    return q;
  };

  beforeEach(() => {
    clock = 10 * W;
  });
  afterAll(async () => {
    for (const q of made) await q.onApplicationShutdown();
  });

  it('limits each token and each department, and says which and when to come back', () => {
    const quotas = make(options({ checks: { perToken: 3, perDepartment: 5 } }));
    const a = principal('FINANCE', 'a');
    const b = principal('FINANCE', 'b');
    for (let i = 0; i < 3; i += 1) expect(tryCharge(quotas, a)).toBeUndefined();
    const token = tryCharge(quotas, a);
    expect(token).toMatchObject({ status: 429, code: 'QUOTA.EXCEEDED', scope: 'token', limit: 3 });
    expect(token!.retryAfterSeconds).toBeGreaterThan(0);
    expect(token!.retryAfterSeconds).toBeLessThanOrEqual(120);
    // another token of the department: its own token quota, the department's shared one
    expect(tryCharge(quotas, b)).toBeUndefined();
    expect(tryCharge(quotas, b)).toBeUndefined();
    expect(tryCharge(quotas, b)).toMatchObject({ scope: 'department', limit: 5 });
    // another department is not affected
    expect(tryCharge(quotas, principal('POLICE', 'a'))).toBeUndefined();
  });

  it('counts a batch by its subjects, and refuses it whole', () => {
    const quotas = make(options({ checks: { perToken: 10 } }));
    const a = principal('FINANCE', 'a');
    expect(tryCharge(quotas, a, 8)).toBeUndefined();
    expect(tryCharge(quotas, a, 3)).toMatchObject({ scope: 'token' });
    expect(tryCharge(quotas, a, 2)).toBeUndefined();
  });

  it('keys a token by its caller, not by the principal object (a re-verified token is the same caller)', () => {
    const quotas = make(options({ checks: { perToken: 2 } }));
    expect(tryCharge(quotas, principal('FINANCE', 'a'))).toBeUndefined();
    expect(tryCharge(quotas, principal('FINANCE', 'a'))).toBeUndefined();
    expect(tryCharge(quotas, principal('FINANCE', 'a'))).toBeDefined();
  });

  it('admits again once the window has slid past', () => {
    const quotas = make(options({ checks: { perToken: 2 } }));
    const a = principal('FINANCE', 'a');
    tryCharge(quotas, a);
    tryCharge(quotas, a);
    const refused = tryCharge(quotas, a)!;
    clock += refused.retryAfterSeconds * 1000;
    expect(tryCharge(quotas, a)).toBeUndefined();
  });

  it('admits a principal or the promise of one', async () => {
    const quotas = make(options({ checks: { perToken: 1 } }));
    const a = principal('FINANCE', 'a');
    expect(quotas.bucket('checks').admit(a)).toBe(a);
    await expect(quotas.bucket('checks').admit(Promise.resolve(a))).rejects.toBeInstanceOf(
      QuotaExceededError,
    );
  });

  it('counts public requests per client address', () => {
    const quotas = make(options({ public: { perClient: 1 } }));
    quotas.bucket('public').chargeClient('203.0.113.1');
    expect(() => quotas.bucket('public').chargeClient('203.0.113.1')).toThrow(QuotaExceededError);
    expect(() => quotas.bucket('public').chargeClient('203.0.113.2')).not.toThrow();
  });

  it('adds up the replicas through the shared store', async () => {
    const store = new SharedStore();
    const o = options({ checks: { perDepartment: 10 } });
    const one = make(o, store);
    const two = make(o, store);
    for (let i = 0; i < 5; i += 1) expect(tryCharge(one, principal('FINANCE', `x${i}`))).toBeUndefined();
    for (let i = 0; i < 5; i += 1) expect(tryCharge(two, principal('FINANCE', `y${i}`))).toBeUndefined();
    await one.sync();
    await two.sync();
    await one.sync(); // learns what two sent
    expect(tryCharge(one, principal('FINANCE', 'z'))).toMatchObject({ scope: 'department' });
    expect(tryCharge(two, principal('FINANCE', 'z'))).toMatchObject({ scope: 'department' });
    expect(store.counts.get(`test:checks:department:FINANCE:${Math.floor(clock / W)}`)).toBe(10);
  });

  it('goes on answering when the store is down (fail open), says so once, and catches up after', async () => {
    const store = new SharedStore();
    const { logger, lines } = logged();
    const quotas = new Quotas(options({ checks: { perToken: 100 } }), logger, store, now);
    made.push(quotas);
    const failures = (await quotaStoreFailures.get()).values[0]?.value ?? 0;
    store.down = true;
    expect(tryCharge(quotas, principal('FINANCE', 'a'))).toBeUndefined();
    await quotas.sync();
    expect(tryCharge(quotas, principal('FINANCE', 'a'))).toBeUndefined();
    await quotas.sync();
    expect((await quotaStoreFailures.get()).values[0].value).toBe(failures + 2);
    expect(lines.filter((l) => /unreachable/.test(String(l.msg)))).toHaveLength(1);
    store.down = false;
    await quotas.sync();
    // what was counted meanwhile reached the store
    expect(store.counts.get(`test:checks:token:FINANCE/a:${Math.floor(clock / W)}`)).toBe(2);
    expect(lines.filter((l) => /reachable again/.test(String(l.msg)))).toHaveLength(1);
  });

  it('a limit of 0 is no limit', () => {
    const quotas = make(options({ checks: { perToken: 0, perDepartment: 0 } }));
    for (let i = 0; i < 1000; i += 1) expect(tryCharge(quotas, principal('FINANCE', 'a'))).toBeUndefined();
  });
});
