import { idNumber } from '../registry/registry-fixtures';
import { waitFor } from '../support/infra';
import { api, startPlatform, TestPlatform } from '../support/services';

// small limits so that a test reaches them; the real defaults are far above (decision 0022)
const QUOTAS: Record<string, string> = {
  QUOTA_CHECKS_PER_TOKEN: '5',
  QUOTA_CHECKS_PER_DEPARTMENT: '8',
  QUOTA_LOOKUPS_PER_TOKEN: '2',
  QUOTA_EXPORTS_PER_TOKEN: '2',
  QUOTA_SYNC_MS: '50',
};
// read by enforcement when it starts
const SWEEP_ENV: Record<string, string> = { CHECK_SWEEP_BATCH_MISSES: '3' };

type Problem = {
  code: string;
  status: number;
  quota: string;
  scope: string;
  retryAfter: number;
  detail: string;
};

describe('quotas: 429 with Retry-After per token and per department', () => {
  let platform: TestPlatform;
  const saved: Record<string, string | undefined> = {};
  const t: Record<string, string> = {};

  beforeAll(async () => {
    for (const [k, v] of Object.entries(SWEEP_ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    platform = await startPlatform({ env: QUOTAS });
    t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
    for (const code of ['CREDIT_OFFICE', 'FINANCE', 'POLICE', 'TAX', 'CUSTOMS']) {
      await api('POST', `${platform.url.registry}/v1/departments`, {
        token: t.admin,
        body: { code, name: code, region: '330100' },
      });
    }
    t.a = await platform.token('FINANCE', ['system'], 'finance-a');
    t.b = await platform.token('FINANCE', ['system'], 'finance-b');
    t.police = await platform.token('POLICE', ['implementer']);
    t.tax = await platform.token('TAX', ['system']);
    t.customs = await platform.token('CUSTOMS', ['system']);
    t.supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    t.initiator = await platform.token('POLICE', ['initiator']);
  });

  afterAll(async () => {
    await platform?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const check = (token: string, n = 1) =>
    api<Problem>('POST', `${platform.url.enforcement}/v1/checks`, {
      token,
      body: { subject: { id: idNumber('19800101', String(100 + n)) }, action: 'government_procurement_bid' },
    });
  const batch = (token: string, size: number) =>
    api<Problem & { items: unknown[] }>('POST', `${platform.url.enforcement}/v1/checks/batch`, {
      token,
      body: {
        subjects: Array.from({ length: size }, (_, i) => ({ id: idNumber('19900101', String(100 + i)) })),
        action: 'government_procurement_bid',
      },
    });

  function expectRefused(
    res: { status: number; body: Problem; headers: Headers },
    quota: string,
    scope: string,
  ) {
    expect({ status: res.status, code: res.body.code, quota: res.body.quota, scope: res.body.scope }).toEqual(
      {
        status: 429,
        code: 'QUOTA.EXCEEDED',
        quota,
        scope,
      },
    );
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 120).toBe(true);
    expect(res.body.retryAfter).toBe(retryAfter);
  }

  it('refuses the checks of a token past its quota, then of its department, not of another department', async () => {
    for (let i = 0; i < 5; i += 1) expect((await check(t.a, i)).status).toBe(200);
    expectRefused(await check(t.a), 'checks', 'token');
    // another token of FINANCE has its own token quota but shares the department's (8)
    for (let i = 0; i < 3; i += 1) expect((await check(t.b, i)).status).toBe(200);
    expectRefused(await check(t.b), 'checks', 'department');
    expect((await check(t.police)).status).toBe(200);
  });

  it('counts a batch by its subjects, not as one request', async () => {
    expect((await batch(t.tax, 4)).status).toBe(200);
    expectRefused(await batch(t.tax, 2), 'checks', 'token');
    // and the single check shares the same count
    expect((await check(t.tax)).status).toBe(200);
    expectRefused(await check(t.tax), 'checks', 'token');
  });

  it('raises the sweep alert for a batch of mostly unknown subjects', async () => {
    const metric = async () => {
      const text = await (await fetch(`${platform.url.enforcement}/metrics`)).text();
      const line = text
        .split('\n')
        .find((l) => l.startsWith('credit_check_sweep_suspected_total{dept="CUSTOMS"}'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    expect(await metric()).toBe(0);
    expect((await batch(t.customs, 1)).status).toBe(200);
    expect(await metric()).toBe(0);
    expect((await batch(t.customs, 3)).status).toBe(200); // 3 misses: not more than the threshold
    expect(await metric()).toBe(0);
    const quotas = await api('POST', `${platform.url.enforcement}/v1/checks/batch`, {
      token: await platform.token('CUSTOMS', ['system'], 'customs-b'),
      body: {
        subjects: Array.from({ length: 4 }, (_, i) => ({ id: idNumber('19700101', String(100 + i)) })),
        action: 'government_procurement_bid',
      },
    });
    expect(quotas.status).toBe(200);
    expect(await metric()).toBe(1);
  });

  it('limits subject look-ups per token (registry)', async () => {
    const lookup = () =>
      api<Problem>('GET', `${platform.url.registry}/v1/subjects/${idNumber('19800101')}`, {
        token: t.initiator,
      });
    expect((await lookup()).status).toBe(404);
    expect((await lookup()).status).toBe(404);
    expectRefused(await lookup(), 'lookups', 'token');
  });

  it('limits exports per token (tracking reports and the assessment)', async () => {
    const report = (path: string) =>
      fetch(`${platform.url.tracking}${path}`, { headers: { authorization: `Bearer ${t.supervisor}` } });
    expect((await report('/v1/reports/departments?format=csv')).status).toBe(200);
    expect((await report('/v1/reports/assessment?dept=FINANCE')).status).toBe(200);
    const refused = await report('/v1/reports/overdue?format=xlsx');
    expectRefused(
      { status: refused.status, body: (await refused.json()) as Problem, headers: refused.headers },
      'exports',
      'token',
    );
  });
});

/**
 * Quotas fail safe when Redis cannot be reached (decision 0029): nothing waits on it, every process goes on
 * counting and refusing from its own count, and the failed exchanges are counted for an alert.
 */
describe('quotas while Redis cannot be reached', () => {
  let platform: TestPlatform;
  const previous = process.env.REDIS_URL;

  beforeAll(async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:1'; // nothing listens there
    platform = await startPlatform({
      env: { QUOTA_CHECKS_PER_TOKEN: '3', QUOTA_LOOKUPS_PER_TOKEN: '2', QUOTA_SYNC_MS: '50' },
    });
  });

  afterAll(async () => {
    await platform?.close();
    if (previous === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = previous;
  });

  const metric = async (service: 'enforcement' | 'registry', name: string) => {
    const text = await (await fetch(`${platform.url[service]}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ')[1]) : 0;
  };

  it('answers checks and look-ups within the limit, refuses past it (429), and counts the failed exchanges', async () => {
    const token = await platform.token('FINANCE', ['system'], 'no-redis');
    const check = (n: number) =>
      api<Problem>('POST', `${platform.url.enforcement}/v1/checks`, {
        token,
        body: {
          subject: { id: idNumber('19700101', String(100 + n)) },
          action: 'government_procurement_bid',
        },
      });
    const started = Date.now();
    for (let i = 0; i < 3; i += 1) expect((await check(i)).status).toBe(200);
    const refused = await check(3);
    expect(Date.now() - started).toBeLessThan(5_000); // nothing waited on Redis
    expect({ status: refused.status, code: refused.body.code, scope: refused.body.scope }).toEqual({
      status: 429,
      code: 'QUOTA.EXCEEDED',
      scope: 'token',
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const lookup = () =>
      api<Problem>('GET', `${platform.url.registry}/v1/subjects/${idNumber('19700101', '200')}`, { token });
    expect((await lookup()).status).toBe(404);
    expect((await lookup()).status).toBe(404);
    expect((await lookup()).status).toBe(429);

    for (const service of ['enforcement', 'registry'] as const)
      await waitFor(async () => (await metric(service, 'quota_store_failures_total')) > 0, {
        message: `${service} counts its failed quota exchanges`,
      });
  });
});
