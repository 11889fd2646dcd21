import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@credit/auth';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { DEMO_SUBJECTS } from '../../apps/embedded/src/demo';
import { waitFor } from '../support/infra';
import { EmbeddedProcess, startEmbeddedProcess } from '../support/embedded-process';
import { api, ServiceName } from '../support/services';
import { describeAcceptanceStory } from './acceptance-story';
import { describeRepairStory } from './repair-story';

const token = (dept: string, role: string) =>
  mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles: [role as never] }, LOCAL_JWT_SECRET);

/**
 * The embedded mode (npm start) as its own process, with nothing else running as far as it knows:
 * PostgreSQL, Redis and Kafka point at a closed port and any connection to their ports is refused and
 * reported. DOMAIN.md's story runs against it over HTTP; a second start keeps the data.
 */
describe('the embedded mode (one process, no PostgreSQL, Redis or Kafka)', () => {
  const root = mkdtempSync(join(tmpdir(), 'embedded-e2e-'));
  const outputs: string[] = [];
  let running: EmbeddedProcess | undefined;

  const start = async (
    dataDir: string,
    args: string[] = [],
    waitForLine?: RegExp,
    env?: Record<string, string | undefined>,
  ) => {
    // a real first start, as `npm start` on a new folder: initdb and the migrations in the process
    running = await startEmbeddedProcess({ dataDir, args, waitFor: waitForLine, env, fromTemplate: false });
    return running;
  };
  const stop = async () => {
    const p = running;
    running = undefined;
    if (!p) return;
    expect(await p.stop()).toBe(0);
    outputs.push(p.output());
  };

  afterAll(async () => {
    if (running) outputs.push(running.output());
    await running?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  describe('DOMAIN.md story, then a restart', () => {
    const dataDir = join(root, 'story');
    let first: EmbeddedProcess;
    let entryId = '';

    beforeAll(async () => {
      first = await start(dataDir, ['--no-demo']);
    }, 150_000);

    describeAcceptanceStory(
      'against the embedded platform',
      async () => ({
        url: Object.fromEntries(
          ['registry', 'trigger', 'enforcement', 'tracking'].map((s) => [s, first.url]),
        ) as Record<ServiceName, string>,
        token: (dept, roles) => token(dept, roles[0]),
        close: async () => undefined,
      }),
      (story) => (entryId = story.entryId),
    );

    describeRepairStory('against the embedded platform', async () => ({
      url: Object.fromEntries(
        ['registry', 'trigger', 'enforcement', 'tracking'].map((s) => [s, first.url]),
      ) as Record<ServiceName, string>,
      token: (dept, roles) => token(dept, roles[0]),
      subjectToken: (id) => mintToken({ sub: id, dept: '', roles: ['subject'] }, LOCAL_JWT_SECRET),
      close: async () => undefined,
    }));

    it('listens on loopback by default and prints no token without the demo, even in development', async () => {
      await waitFor(() => /no tokens printed/.test(first.output()), { message: 'the start finished' });
      expect(first.output()).not.toMatch(/export [A-Z]+=ey/);
      const ready = readFileSync(`${dataDir}.log`, 'utf8')
        .split('\n')
        .filter((l) => l.includes('embedded platform ready'))
        .map((l) => JSON.parse(l) as { host: string });
      expect(ready[0].host).toBe('127.0.0.1');
    });

    it("records the story's reads in the access log, for supervisors, with the checks", async () => {
      const supervisor = await token('CREDIT_OFFICE', 'supervisor');
      const log = await waitFor(
        async () => {
          const res = await api<{ items: { dept: string; what: string; subjectId: string | null }[] }>(
            'GET',
            `${first.url}/v1/access-log?limit=500`,
            { token: supervisor },
          );
          const items = res.body.items ?? [];
          const what = new Set(items.map((i) => i.what));
          // the trail's read comes from tracking through the outbox, later than enforcement's own
          const expected = ['GET /v1/check-log', 'GET /v1/list-entries/:id/trail'];
          return expected.every((w) => what.has(w)) && items.some((i) => i.what.startsWith('check '))
            ? items
            : undefined;
        },
        { message: 'reads and checks in the access log' },
      );
      expect(new Set(log.map((i) => i.dept)).size).toBeGreaterThanOrEqual(2);
      expect(log.map((i) => i.what)).toEqual(
        expect.arrayContaining(['GET /v1/check-log', 'GET /v1/list-entries/:id/trail']),
      );
    });

    it("adds to a department's watch list under its lock (PGlite's advisory locks)", async () => {
      const subject = '91330106MA2H7QK4XQ';
      const admin = await token('CREDIT_OFFICE', 'admin');
      const system = await token('CREDIT_OFFICE', 'system');
      const grant = `${first.url}/v1/watch-list/grants/CREDIT_OFFICE/${subject}`;
      expect((await api('PUT', grant, { token: admin, body: {} })).status).toBe(200);
      const watched = await Promise.all(
        [1, 2].map(() => api('PUT', `${first.url}/v1/watch-list/${subject}`, { token: system, body: {} })),
      );
      expect(watched.map((r) => r.status)).toEqual([200, 200]);
      const list = await api<{ items: { subjectId: string }[] }>('GET', `${first.url}/v1/watch-list`, {
        token: system,
      });
      expect(list.body.items.map((i) => i.subjectId)).toEqual([subject]);
    });

    it('serves one OpenAPI document and one readiness report for the four services', async () => {
      const docs = await api<{ paths: Record<string, unknown> }>('GET', `${first.url}/docs-json`);
      for (const path of ['/v1/list-entries', '/v1/memoranda', '/v1/checks', '/v1/list-entries/{id}/trail']) {
        expect(Object.keys(docs.body.paths)).toContain(path);
      }
      const ready = await api<{ status: string; checks: Record<string, unknown> }>(
        'GET',
        `${first.url}/health/ready`,
      );
      expect(ready.body.status).toBe('ok');
      expect(Object.keys(ready.body.checks).sort()).toEqual([
        'bus',
        'enforcement.database',
        'registry.database',
        'tracking.database',
        'trigger.database',
      ]);
    });

    it('refuses control characters and deep JSON at the edge, the check’s own route included', async () => {
      const system = await token('FINANCE', 'system');
      const nul = await api('POST', `${first.url}/v1/checks`, {
        token: system,
        body: { subject: { id: '9133\u0000X' }, action: 'government_procurement_bid' },
      });
      expect(nul.status).toBe(400);
      expect(nul.body).toMatchObject({ code: 'INPUT.CONTROL_CHARACTER', errors: [{ field: 'subject.id' }] });
      const deep = await fetch(`${first.url}/v1/checks/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${system}`, 'content-type': 'application/json' },
        body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      });
      expect(deep.status).toBe(400);
      expect(((await deep.json()) as { code: string }).code).toBe('INPUT.TOO_DEEP');
    });

    it('a second start keeps the data: the entry, its lifted assignments and its verified trail', async () => {
      expect(entryId).not.toBe('');
      const supervisor = await token('CREDIT_OFFICE', 'supervisor');
      const trailBefore = await api<{ records: number }>(
        'GET',
        `${first.url}/v1/list-entries/${entryId}/trail/verify`,
        { token: supervisor },
      );
      await stop();
      const second = await start(dataDir, []);
      expect(second.output()).toContain('database kept');
      expect(second.output()).not.toContain('loading the demo'); // not a first start
      const entry = await api<{ status: string }>('GET', `${second.url}/v1/list-entries/${entryId}`, {
        token: supervisor,
      });
      expect(entry.body.status).toBe('ended');
      const verify = await api<{ valid: boolean; records: number }>(
        'GET',
        `${second.url}/v1/list-entries/${entryId}/trail/verify`,
        { token: supervisor },
      );
      expect(verify.body).toMatchObject({ valid: true, records: trailBefore.body.records });
      const procurement = await token('FINANCE', 'system');
      const check = await api<{ decision: string }>('POST', `${second.url}/v1/checks`, {
        token: procurement,
        body: {
          subject: { id: '91330106MA2H7QK4XQ' },
          action: 'government_procurement_bid',
          stage: 'approval',
        },
      });
      expect(check.body.decision).toBe('allow');
      await stop();
    }, 150_000);
  });

  describe('the demo', () => {
    it('loads on first start and prints a guide whose check answers block; the next start keeps it', async () => {
      const dataDir = join(root, 'demo');
      const first = await start(dataDir, [], /Ctrl-C stops/);
      const guide = first.output();
      expect(guide).toContain('new database');
      for (const role of ['ADMIN', 'SUPERVISOR', 'INITIATOR', 'IMPLEMENTER', 'SYSTEM']) {
        expect(guide).toMatch(new RegExp(`export ${role}=ey`));
      }
      const system = /export SYSTEM=(\S+)/.exec(guide)![1];
      expect(guide).toContain(DEMO_SUBJECTS.company.id);
      const answer = await waitFor(
        async () => {
          const res = await api<{ decision: string }>('POST', `${first.url}/v1/checks`, {
            token: system,
            body: {
              subject: { id: DEMO_SUBJECTS.company.id },
              action: 'government_procurement_bid',
              stage: 'approval',
            },
          });
          return res.body.decision === 'block' ? res.body : undefined;
        },
        { message: 'the demo check answers block' },
      );
      expect(answer.decision).toBe('block');
      await stop();

      // the demo's data, but not a development machine: no token is printed
      const second = await start(dataDir, [], /Ctrl-C stops/, { NODE_ENV: 'test' });
      expect(second.output()).toContain('database kept');
      expect(second.output()).not.toContain('loading the demo');
      expect(second.output()).not.toMatch(/export [A-Z]+=ey/);
      expect(second.output()).toContain('no tokens printed');
      const supervisor = await token('CREDIT_OFFICE', 'supervisor');
      const subject = await api<{ entries: { listType: string; status: string }[] }>(
        'GET',
        `${second.url}/v1/subjects/${DEMO_SUBJECTS.company.id}`,
        { token: supervisor },
      );
      expect(subject.body.entries).toEqual([
        expect.objectContaining({ listType: 'COURT_DEFAULTER', status: 'published' }),
      ]);

      // lawful measures (decision 0031) in the embedded mode: the migrated demo breaks no rule, a
      // blocking punishment on a memorandum only is refused, and a memorandum's end lifts what it issued
      const admin = await token('CREDIT_OFFICE', 'admin');
      const report = await api<{ measures: number; blockNeedsLaw: number; memorandumOnly: number }>(
        'GET',
        `${second.url}/v1/measures/legality-report`,
        { token: supervisor },
      );
      expect(report.body).toMatchObject({ measures: 100, blockNeedsLaw: 0, memorandumOnly: 36 });
      const refused = await api<{ code: string }>(
        'POST',
        `${second.url}/v1/memoranda/MOU-COURT-DEFAULTER/measures`,
        {
          token: admin,
          body: {
            code: 'EMB-MEMO-BLOCK',
            text: '限制参加评优',
            kind: 'punishment',
            dept: 'CIVILIZATION',
            legalBasis: '《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
            subjectKinds: ['legal_person'],
            actions: ['honor_award_nomination'],
            mode: 'block',
            feedbackWorkingDays: 5,
          },
        },
      );
      expect([refused.status, refused.body.code]).toEqual([422, 'MEASURE.BLOCK_NEEDS_LAW']);
      const redEntry = await api<{ entries: { id: string; listType: string }[] }>(
        'GET',
        `${second.url}/v1/subjects/${DEMO_SUBJECTS.redCompany.id}`,
        { token: supervisor },
      );
      const red = redEntry.body.entries.find((e) => e.listType === 'TAX_A_GRADE')!;
      const ended = await api<{ windowState: string; windowAction: string }>(
        'PUT',
        `${second.url}/v1/memoranda/MOU-TAX-A-GRADE/effective-period`,
        {
          token: admin,
          body: { effectiveFrom: '2016-07-01', effectiveTo: '2025-12-31', reason: '备忘录废止' },
        },
      );
      expect(ended.body).toMatchObject({ windowState: 'expired', windowAction: 'lift' });
      await waitFor(
        async () => {
          const res = await api<{ items: { status: string }[] }>(
            'GET',
            `${second.url}/v1/assignments?entryId=${red.id}&limit=500`,
            { token: supervisor },
          );
          return res.body.items.length > 0 && res.body.items.every((a) => a.status === 'lifted')
            ? true
            : undefined;
        },
        { message: "the expired memorandum's assignments lifted" },
      );
      await stop();

      // a later start in development (npm start): the demo's data is there, so fresh tokens are printed
      const third = await start(dataDir, [], /Ctrl-C stops/);
      expect(third.output()).toContain('database kept');
      expect(third.output()).toMatch(/export SUPERVISOR=ey/);
      await stop();
    }, 300_000);
  });

  it('never opened a connection to PostgreSQL, Redis or Kafka', () => {
    expect(outputs.length).toBeGreaterThanOrEqual(4);
    for (const output of outputs) expect(output).not.toContain('FORBIDDEN CONNECTION');
  });
});
