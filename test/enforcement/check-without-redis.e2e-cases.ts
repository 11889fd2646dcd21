import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { ActiveMeasures } from '../../apps/enforcement/src/checks/active-measures';
import { DECISION, uscc } from '../registry/registry-fixtures';
import { waitFor } from '../support/infra';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { api, startPlatform, TestPlatform } from '../support/services';

const PORT = 6391;

function startRedis(): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
}

function redisAnswers(): boolean {
  return (
    spawnSync('redis-cli', ['-p', String(PORT), 'ping'])
      .stdout?.toString()
      .trim() === 'PONG'
  );
}

/**
 * The check never answers from a memory that missed a lift — also when Redis, which carries the
 * invalidations, goes away mid-run (a Redis of the test's own, on its own port, stopped and restarted).
 */
describe('the check when Redis is lost', () => {
  let platform: TestPlatform;
  let redis: ChildProcess;
  const previous = process.env.REDIS_URL;
  const t: Record<string, string> = {};
  let n = 0;

  beforeAll(async () => {
    redis = startRedis();
    await waitFor(() => redisAnswers(), { message: 'test redis up' });
    process.env.REDIS_URL = `redis://127.0.0.1:${PORT}`;
    platform = await startPlatform();
    t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
    t.court = await platform.token('COURT', ['initiator']);
    t.finance = await platform.token('FINANCE', ['system']);
    await seedCatalog(platform, t.admin, { measures: [measureBody('BAN', 'FINANCE')] });
  });

  afterAll(async () => {
    await platform?.close();
    // the area's other cases run after this one in the same jest file (decision 0084)
    if (previous === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = previous;
    redis?.kill('SIGKILL');
  });

  const decision = async (id: string) =>
    (
      await api<{ decision: string }>('POST', `${platform.url.enforcement}/v1/checks`, {
        token: t.finance,
        body: { subject: { id }, action: 'government_procurement_bid' },
      })
    ).body.decision;

  async function listed() {
    const id = uscc(`REDXA${String((n += 1)).padStart(3, '0')}`);
    const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: t.court,
      body: {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id, name: 'x' },
        decision: DECISION,
      },
    });
    for (const step of ['notice', 'publish']) {
      await api('POST', `${platform.url.registry}/v1/list-entries/${created.body.id}/${step}`, {
        token: t.court,
      });
    }
    await waitFor(async () => (await decision(id)) === 'block', { message: 'block' });
    return { id, entryId: created.body.id };
  }

  const end = (entryId: string) =>
    api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/end`, {
      token: t.court,
      body: { reason: 'repaired' },
    });

  it('answers from memory while Redis is there, and a lift still reaches the answer', async () => {
    const active = platform.app.enforcement.get(ActiveMeasures);
    await waitFor(() => active.usingCache, { message: 'the invalidation channel is up' });
    // the whole binding set is read once subscribed; the issue below reaches it through the channel
    await waitFor(() => active.complete, { message: 'the binding set is held in memory' });
    const { id, entryId } = await listed();
    expect(await decision(id)).toBe('block'); // now from memory
    expect(active.cacheSize).toBeGreaterThan(0);
    await end(entryId);
    await waitFor(async () => (await decision(id)) === 'allow', { message: 'allow after the lift' });
  });

  it('answers correctly from PostgreSQL when Redis is lost mid-run, lifts included, and recovers', async () => {
    const active = platform.app.enforcement.get(ActiveMeasures);
    const before = await listed();
    expect(await decision(before.id)).toBe('block'); // cached
    spawnSync('redis-cli', ['-p', String(PORT), 'shutdown', 'nosave']);
    redis.kill('SIGKILL');
    await waitFor(() => !redisAnswers() && !active.usingCache, { message: 'redis gone' });
    expect(active.cacheSize).toBe(0);
    // the quotas, shared through the same Redis, fail open: counted in the process, said in a metric
    const storeFailures = async () => {
      const text = await (await fetch(`${platform.url.enforcement}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('quota_store_failures_total '));
      return line ? Number(line.split(' ')[1]) : 0;
    };
    const failuresBefore = await storeFailures();
    expect(await decision(before.id)).toBe('block');
    await waitFor(async () => (await storeFailures()) > failuresBefore, {
      message: 'a failed quota exchange',
    });

    // a lift while Redis is away: nothing can be announced, nothing is answered from memory
    expect(await decision(before.id)).toBe('block');
    await end(before.entryId);
    await waitFor(async () => (await decision(before.id)) === 'allow', { message: 'allow without redis' });
    const during = await listed();
    expect(await decision(during.id)).toBe('block');
    expect(active.cacheSize).toBe(0);

    redis = startRedis();
    await waitFor(() => redisAnswers() && active.usingCache, { timeoutMs: 30_000, message: 'redis back' });
    expect(await decision(during.id)).toBe('block');
    await end(during.entryId);
    await waitFor(async () => (await decision(during.id)) === 'allow', {
      message: 'allow after redis came back',
    });
  });
});
