import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { mintToken } from '@credit/auth';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '@credit/platform';
import type { Logger } from 'pino';
import { REGISTRY_DB } from '../../apps/registry/src/registry.tokens';
import { DECISION, idNumber } from '../registry/registry-fixtures';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { waitFor } from '../support/infra';
import { api, startPlatform, TEST_JWT_SECRET, TestPlatform } from '../support/services';

type AccessItem = { at: string; sub?: string; dept: string; role?: string; subjectId?: string; what: string };
type Page = { items: AccessItem[]; nextCursor: string | null };

const PERSON = idNumber('19800101', '457');
const NAME = '王小明';
const OTHER = idNumber('19900202', '311');
const OTHER_NAME = '欧阳娜娜';

/**
 * Every read of a person's data is recorded (issue 12): reads in four services by several departments
 * reach enforcement's access log, which supervisors and the subject itself query. The same run writes its
 * logs to a file: request lines name the caller, and no ID number or name is ever in clear.
 */
describe('the access log and the logs of a run with personal data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'access-log-'));
  const logFile = join(dir, 'services.log');
  let platform: TestPlatform;
  const t: Record<string, string> = {};
  let entryId = '';

  beforeAll(async () => {
    platform = await startPlatform({ logFile, logLevel: 'info' });
    for (const [name, dept, role] of [
      ['admin', 'CREDIT_OFFICE', 'admin'],
      ['supervisor', 'CREDIT_OFFICE', 'supervisor'],
      ['court', 'COURT', 'initiator'],
      ['finance', 'FINANCE', 'system'],
    ] as const) {
      t[name] = await platform.token(dept, [role]);
    }
    t.subject = await platform.token('', ['subject'], PERSON);
    const { listType } = await seedCatalog(platform, t.admin, {
      listType: { subjectKinds: ['individual'] },
      measures: [measureBody('FN', 'FINANCE', { subjectKinds: ['individual'] })],
    });
    for (const [id, name] of [
      [PERSON, NAME],
      [OTHER, OTHER_NAME],
    ]) {
      const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
        token: t.court,
        body: { listType, subject: { kind: 'individual', id, name }, decision: DECISION },
      });
      expect(created.status).toBe(201);
      for (const step of ['notice', 'publish'])
        await api('POST', `${platform.url.registry}/v1/list-entries/${created.body.id}/${step}`, {
          token: t.court,
        });
      if (id === PERSON) entryId = created.body.id;
    }
    await waitFor(
      async () =>
        (await api<{ items: unknown[] }>('GET', `${platform.url.enforcement}/v1/inbox`, { token: t.finance }))
          .body.items?.length === 2,
      { message: 'both assignments in the finance inbox' },
    );
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records reads by several departments in four services; supervisors and the subject see them', async () => {
    const get = (service: keyof TestPlatform['url'], path: string, token: string) =>
      api('GET', `${platform.url[service]}${path}`, { token });
    expect((await get('registry', `/v1/list-entries/${entryId}`, t.court)).status).toBe(200);
    expect((await get('registry', `/v1/subjects/${PERSON}`, t.supervisor)).status).toBe(200);
    expect((await get('trigger', `/v1/assignments?entryId=${entryId}`, t.court)).status).toBe(200);
    expect((await get('tracking', `/v1/list-entries/${entryId}/trail`, t.supervisor)).status).toBe(200);
    const check = await api<{ decision: string }>('POST', `${platform.url.enforcement}/v1/checks`, {
      token: t.finance,
      body: { subject: { id: PERSON }, action: 'government_procurement_bid' },
    });
    expect(check.body.decision).toBe('block');

    const expected = [
      ['COURT', 'GET /v1/list-entries/:id'],
      ['CREDIT_OFFICE', 'GET /v1/subjects/:identifier'],
      ['COURT', 'GET /v1/assignments'],
      ['CREDIT_OFFICE', 'GET /v1/list-entries/:id/trail'],
      ['FINANCE', 'GET /v1/inbox'],
      ['FINANCE', 'check government_procurement_bid'],
    ];
    const log = await waitFor(
      async () => {
        const res = await api<Page>('GET', `${platform.url.enforcement}/v1/access-log?subjectId=${PERSON}`, {
          token: t.admin,
        });
        const seen = res.body.items.map((i) => [i.dept, i.what]);
        return expected.every((e) => seen.some((s) => s[0] === e[0] && s[1] === e[1])) ? res.body : undefined;
      },
      { message: 'every read in the access log', timeoutMs: 30_000 },
    );
    // who: sub, dept and role; which subject (in clear for an admin); only this subject's reads
    expect(log.items.find((i) => i.what === 'GET /v1/list-entries/:id')).toMatchObject({
      sub: 'court-user',
      dept: 'COURT',
      role: 'initiator',
      subjectId: PERSON,
    });
    expect(log.items.every((i) => i.subjectId === PERSON)).toBe(true);

    // a supervisor sees the ID number masked, and pages through with a cursor
    const first = await api<Page>(
      'GET',
      `${platform.url.enforcement}/v1/access-log?subjectId=${PERSON}&dept=FINANCE&limit=1`,
      { token: t.supervisor },
    );
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0].subjectId).toBe(`${PERSON.slice(0, 4)}************${PERSON.slice(-2)}`);
    const second = await api<Page>(
      'GET',
      `${platform.url.enforcement}/v1/access-log?subjectId=${PERSON}&dept=FINANCE&limit=1&cursor=${first.body.nextCursor}`,
      { token: t.supervisor },
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].what).not.toBe(first.body.items[0].what);

    // the subject: departments, what and when — not the member of staff
    const own = await api<Page>('GET', `${platform.url.enforcement}/v1/me/access-log`, { token: t.subject });
    expect(own.status).toBe(200);
    const depts = new Set(own.body.items.map((i) => i.dept));
    expect([...depts].sort()).toEqual(['COURT', 'CREDIT_OFFICE', 'FINANCE']);
    for (const item of own.body.items) expect(Object.keys(item).sort()).toEqual(['at', 'dept', 'what']);
    // other callers may not read a subject's own log; a subject may not read the supervisors' one
    expect(
      (await api('GET', `${platform.url.enforcement}/v1/me/access-log`, { token: t.court })).status,
    ).toBe(403);
    expect((await api('GET', `${platform.url.enforcement}/v1/access-log`, { token: t.subject })).status).toBe(
      403,
    );
  });

  it('is append-only: no route changes it, and the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    for (const method of ['DELETE', 'PUT', 'PATCH']) {
      const res = await api(method, `${platform.url.enforcement}/v1/access-log`, { token: t.admin });
      expect(res.status).toBe(404);
    }
    const client = new Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      for (const sql of [
        `UPDATE enforcement.access_log SET dept = 'NOBODY'`,
        `UPDATE enforcement.access_log SET subject_id = 'someone-else'`,
        `DELETE FROM enforcement.access_log`,
        `TRUNCATE enforcement.access_log`,
      ]) {
        await expect(client.query(sql)).rejects.toThrow(/append-only/);
      }
    } finally {
      await client.end();
    }
  });

  it('writes a request line per request naming the caller, and no ID number or name in clear', async () => {
    // a failing query with personal data as its parameter, logged as every service logs an error
    const db = platform.app.registry.get<DataSource>(REGISTRY_DB);
    for (const value of [PERSON, NAME]) {
      const err = await db.query('SELECT $1::int', [value]).catch((e: unknown) => e);
      expect((err as Error).name).toBe('QueryFailedError');
      platform.app.registry.get<Logger>(ROOT_LOGGER).error({ err }, 'unhandled error');
    }
    // a look-up of an unknown person and a check of the other one: their identifiers in paths and bodies
    await api('GET', `${platform.url.registry}/v1/subjects/${idNumber('19700303', '999')}`, {
      token: t.supervisor,
    });
    await api('POST', `${platform.url.enforcement}/v1/checks`, {
      token: t.finance,
      body: { subject: { id: OTHER, name: OTHER_NAME }, action: 'government_procurement_bid' },
    });
    const lines = await waitFor(
      async () => {
        const text = readFileSync(logFile, 'utf8');
        return text.includes('"route":"/v1/subjects/:identifier","status":404') ? text : undefined;
      },
      { message: 'log lines written' },
    );
    const parsed = lines
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = parsed.filter((l) => l.msg === 'request');
    expect(requests.find((l) => l.route === '/v1/checks')).toMatchObject({
      method: 'POST',
      status: 200,
      sub: 'finance-user',
      dept: 'FINANCE',
      roles: ['system'],
    });
    expect(requests.find((l) => l.route === '/v1/list-entries/:id')).toMatchObject({
      sub: 'court-user',
      dept: 'COURT',
    });
    // a subject's own sub is its ID number: masked on its request line
    expect(requests.find((l) => l.route === '/v1/me/access-log' && l.status === 200)).toMatchObject({
      sub: `${PERSON.slice(0, 4)}************${PERSON.slice(-2)}`,
    });
    expect(parsed.filter((l) => l.msg === 'unhandled error')).toHaveLength(2);
    for (const secret of [PERSON, OTHER, idNumber('19700303', '999'), NAME, OTHER_NAME]) {
      expect(lines).not.toContain(secret);
    }
    // the look-up that found nobody is in the access log all the same (who looked for whom)
    const missed = await waitFor(
      async () =>
        (
          await api<Page>(
            'GET',
            `${platform.url.enforcement}/v1/access-log?subjectId=${idNumber('19700303', '999')}`,
            { token: t.admin },
          )
        ).body.items[0],
      { message: 'the missed look-up recorded' },
    );
    expect(missed).toMatchObject({ dept: 'CREDIT_OFFICE', what: 'GET /v1/subjects/:identifier' });
  });

  it("shows a region's supervisor the reads by its region's departments only (decision 0020)", async () => {
    // the court is registered in 330100 by seedCatalog; the finance bureau in another region
    const registered = await api('POST', `${platform.url.registry}/v1/departments`, {
      token: t.admin,
      body: { code: 'FINANCE', name: 'FINANCE', region: '330200' },
    });
    expect(registered.status).toBe(201);
    const hangzhou = await mintToken(
      { sub: 'hangzhou', dept: 'CREDIT_OFFICE', roles: ['supervisor'], region: '330100' },
      TEST_JWT_SECRET,
    );
    const read = (token: string, query: string) =>
      api<Page & { code?: string }>('GET', `${platform.url.enforcement}/v1/access-log?${query}`, { token });
    // once enforcement learnt both regions: the court's reads, none of the finance bureau's (nor of
    // departments of no known region, as the credit office's own)
    const mine = await waitFor(
      async () => {
        const items = (await read(hangzhou, `subjectId=${PERSON}`)).body.items;
        return items.length > 0 ? items : undefined;
      },
      { message: "the court's reads in the region's access log" },
    );
    expect([...new Set(mine.map((i) => i.dept))]).toEqual(['COURT']);
    expect((await read(hangzhou, `subjectId=${PERSON}&dept=COURT`)).status).toBe(200);
    expect(await read(hangzhou, `dept=FINANCE`)).toMatchObject({
      status: 403,
      body: { code: 'ACCESS.OUTSIDE_REGION' },
    });
    expect((await read(hangzhou, `dept=NOWHERE`)).status).toBe(403);
    // a supervisor of no region still sees every department's
    const all = (await read(t.supervisor, `subjectId=${PERSON}`)).body.items;
    expect(new Set(all.map((i) => i.dept))).toEqual(new Set(['COURT', 'CREDIT_OFFICE', 'FINANCE']));
  });
});
