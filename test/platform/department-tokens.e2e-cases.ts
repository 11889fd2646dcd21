import { Client } from 'pg';
import { mintToken } from '@credit/auth';
import { Role } from '@credit/contracts';
import { waitFor } from '../support/infra';
import { api, ServiceName, startPlatform, TEST_JWT_SECRET, TestPlatform } from '../support/services';

/**
 * Decision 0019 against the four services over Kafka: a token's dept must be a registered department,
 * learnt by every service within seconds of its registration; supervisor and credit_office only for a
 * supervising department; the bootstrap department from the first start; claims in a strict form; and
 * the token checked before the body is read. Tokens here are minted directly (not platform.token, which
 * admits the department in-process): the departments go the real way.
 */
describe('tokens of registered departments', () => {
  let platform: TestPlatform;
  const SERVICES: ServiceName[] = ['registry', 'trigger', 'enforcement', 'tracking'];
  /** A GET route of each service: 401 means the token was refused, anything else that it was accepted. */
  const PROBE: Record<ServiceName, string> = {
    registry: '/v1/departments',
    trigger: '/v1/assignments',
    enforcement: '/v1/inbox',
    tracking: '/v1/overdue',
  };
  const mint = (dept: string, roles: Role[], region?: string) =>
    mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles, region }, TEST_JWT_SECRET);
  const probe = async (service: ServiceName, token: string) => {
    const res = await api<{ code?: string; detail?: string }>(
      'GET',
      `${platform.url[service]}${PROBE[service]}`,
      {
        token,
      },
    );
    return { status: res.status, code: res.body.code, detail: res.body.detail };
  };
  /** Until every service accepts the token (within `seconds`). */
  const acceptedEverywhere = (token: string, seconds: number) =>
    waitFor(
      async () => {
        for (const s of SERVICES) if ((await probe(s, token)).status === 401) return false;
        return true;
      },
      { timeoutMs: seconds * 1000, message: 'every service accepting the token' },
    );
  const register = (admin: string, body: Record<string, unknown>) =>
    api('POST', `${platform.url.registry}/v1/departments`, { token: admin, body });

  beforeAll(async () => {
    platform = await startPlatform();
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('knows the bootstrap department from the first start: its admin registers the first departments', async () => {
    const admin = await mint('CREDIT_OFFICE', ['admin']);
    const supervisor = await mint('CREDIT_OFFICE', ['supervisor', 'credit_office']);
    for (const s of SERVICES) {
      expect((await probe(s, admin)).status).not.toBe(401);
      expect((await probe(s, supervisor)).status).not.toBe(401);
    }
    expect((await register(admin, { code: 'COURT', name: '法院', region: '330100' })).status).toBe(201);
  });

  it('refuses a department nobody registered, then accepts it within seconds of its registration', async () => {
    const housing = await mint('HOUSING', ['implementer']);
    for (const s of SERVICES) {
      expect(await probe(s, housing)).toEqual({
        status: 401,
        code: 'AUTH.UNKNOWN_DEPARTMENT',
        detail: 'the bearer token is not valid: department HOUSING is not registered',
      });
    }
    const created = await register(await mint('CREDIT_OFFICE', ['admin']), {
      code: 'HOUSING',
      name: '住建局',
      region: '330100',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'HOUSING', supervising: false });
    const registeredAt = Date.now();
    // the registry knows it on commit, the others as their consumers apply the event
    expect((await probe('registry', housing)).status).toBe(200);
    await acceptedEverywhere(housing, 5);
    expect(Date.now() - registeredAt).toBeLessThan(5000);
  });

  it('lets only a supervising department hold supervisor or credit_office', async () => {
    const admin = await mint('CREDIT_OFFICE', ['admin']);
    expect((await register(admin, { code: 'TAX', name: '税务局', region: '330100' })).status).toBe(201);
    expect(
      (await register(admin, { code: 'AUDIT', name: '审计局', region: '330100', supervising: true })).status,
    ).toBe(201);
    await acceptedEverywhere(await mint('TAX', ['initiator']), 5);
    await acceptedEverywhere(await mint('AUDIT', ['supervisor']), 5);
    for (const role of ['supervisor', 'credit_office'] as Role[]) {
      const tax = await mint('TAX', [role]);
      for (const s of SERVICES) {
        expect(await probe(s, tax)).toMatchObject({ status: 401, code: 'AUTH.ROLE_NOT_ALLOWED' });
      }
    }
    // the supervising department's supervisor sees the supervisors' routes
    expect((await probe('tracking', await mint('AUDIT', ['supervisor']))).status).toBe(200);
    const listed = await api<{ items: { code: string; supervising: boolean }[] }>(
      'GET',
      `${platform.url.registry}/v1/departments`,
      { token: admin },
    );
    expect(listed.body.items.filter((d) => ['AUDIT', 'TAX'].includes(d.code))).toEqual([
      expect.objectContaining({ code: 'AUDIT', supervising: true }),
      expect.objectContaining({ code: 'TAX', supervising: false }),
    ]);
  });

  it('a replica that did not consume the registration learns it from its table within seconds', async () => {
    // what another enforcement replica's consumer writes: this process never sees the event
    const db = new Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO enforcement.known_departments (code, supervising) VALUES ('CULTURE', false)`,
      );
    } finally {
      await db.end();
    }
    const culture = await mint('CULTURE', ['implementer']);
    const started = Date.now();
    await waitFor(async () => (await probe('enforcement', culture)).status === 200, {
      timeoutMs: 8000,
      message: 'enforcement reloading its departments',
    });
    expect(Date.now() - started).toBeLessThan(8000);
    expect((await probe('trigger', culture)).code).toBe('AUTH.UNKNOWN_DEPARTMENT');
  });

  it.each([
    ['five digits', '33010'],
    ['letters', 'ZJ-HZ1'],
    ['a trailing line feed', '330100\n'],
  ])('refuses a region claim of %s', async (_name, region) => {
    const res = await probe('tracking', await mint('CREDIT_OFFICE', ['supervisor'], region));
    expect(res).toMatchObject({ status: 401, code: 'AUTH.TOKEN_INVALID' });
    expect(res.detail).toMatch(/region claim must be a 6-digit administrative division code/);
  });

  it('accepts a 6-digit region claim', async () => {
    expect((await probe('tracking', await mint('CREDIT_OFFICE', ['supervisor'], '330100'))).status).toBe(200);
  });

  describe('the token is checked before the body is read', () => {
    const send = (url: string, body: string | Buffer, authorization?: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { code: string } }));

    it.each([
      ['a non-JSON body', () => 'not json {'],
      ['a body over the 10 MB limit', () => Buffer.alloc(11 * 1024 * 1024, 0x20)],
    ])('%s without a token is 401, not 400 or 413', async (_name, body) => {
      for (const url of [
        `${platform.url.enforcement}/v1/checks`,
        `${platform.url.registry}/v1/list-entries`,
      ]) {
        expect(await send(url, body())).toEqual({
          status: 401,
          body: expect.objectContaining({ code: 'AUTH.TOKEN_MISSING' }),
        });
        expect(await send(url, body(), 'Bearer forged.token.value')).toEqual({
          status: 401,
          body: expect.objectContaining({ code: 'AUTH.TOKEN_INVALID' }),
        });
      }
    });

    it('with a valid token the body is read as before (400 for a non-JSON body)', async () => {
      const checker = `Bearer ${await mint('CREDIT_OFFICE', ['system'])}`;
      expect((await send(`${platform.url.enforcement}/v1/checks`, 'not json {', checker)).status).toBe(400);
    });
  });
});
