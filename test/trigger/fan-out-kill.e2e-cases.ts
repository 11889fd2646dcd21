import { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { mintToken } from '@credit/auth';
import { createTestDatabase, KAFKA_BROKERS, uniquePrefix, waitFor } from '../support/infra';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { listTypeBody, measureBody } from '../support/catalog-fixtures';
import { api } from '../support/services';
import {
  ensureBuilt,
  exited,
  freePort,
  isReady,
  ServiceName,
  startServiceProcess,
} from '../support/service-process';
import { DECISION, uscc } from '../registry/registry-fixtures';

/**
 * Issue 16 ("the outbox and inbox guarantees unchanged"): trigger, run as its own process over the real
 * PostgreSQL and Kafka, is killed with SIGKILL while it fans entries out, and started again. Entries keep
 * being published while it is down. After its restart every entry has each of its assignments exactly
 * once in trigger's database, and every one of them reached the assignments topic (duplicates on the topic
 * are allowed — the relay is at least once, consumers keep an inbox).
 */
const ENTRIES = 120;
const MEASURES = ['KILL-PROCUREMENT', 'KILL-BOND', 'KILL-LAND'] as const;
const SECRET = 'fan-out-kill-secret-0123456789';

describe('fan-out while trigger is killed with SIGKILL', () => {
  const prefix = uniquePrefix();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: Client;
  let probe: KafkaProbe;
  let assignmentsTopic: TopicReader;
  const children = new Map<ServiceName, ChildProcess>();
  const urls = new Map<ServiceName, string>();
  const envs = new Map<ServiceName, Record<string, string>>();
  const logFile = (service: ServiceName) => join(tmpdir(), `fan-out-kill-${process.pid}-${service}.log`);
  const token = (dept: string, roles: string[]) =>
    mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles: roles as never }, SECRET);

  async function start(service: ServiceName) {
    children.set(service, startServiceProcess(service, envs.get(service)!, logFile(service)));
    await waitFor(() => isReady(urls.get(service)!), { timeoutMs: 120_000, message: `${service} ready` });
  }

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    for (const service of ['registry', 'trigger'] as const) {
      const port = await freePort();
      envs.set(service, {
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '3',
        KAFKA_BROKERS,
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_PARTITIONS: '3',
        AUTH_JWT_SECRET: SECRET,
        AUTH_BOOTSTRAP_DEPT: 'CREDIT_OFFICE',
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        KAFKA_INSTANCE_ID: `fan-out-kill-${service}`,
      });
      urls.set(service, `http://127.0.0.1:${port}`);
    }
    // one at a time: the first migrates the shared database's schemas without racing the other
    await start('registry');
    await start('trigger');
    // the services created the topics
    probe = new KafkaProbe(prefix);
    assignmentsTopic = await probe.read('credit.assignments');

    const admin = await token('CREDIT_OFFICE', ['admin']);
    for (const code of ['COURT', 'FINANCE', 'NDRC', 'LAND']) {
      const made = await api('POST', `${urls.get('registry')}/v1/departments`, {
        token: admin,
        body: { code, name: code, region: '330100' },
      });
      expect(made.status).toBe(201);
    }
    const listType = await api('POST', `${urls.get('registry')}/v1/list-types`, {
      token: admin,
      body: listTypeBody(),
    });
    expect(listType.status).toBe(201);
    // trigger learns the departments from registry's events: the memorandum waits for them
    await waitFor(
      async () =>
        (
          await api('POST', `${urls.get('trigger')}/v1/memoranda`, {
            token: admin,
            body: {
              code: 'MOU-KILL',
              title: 't',
              documentNo: 'd',
              listTypes: ['COURT_DEFAULTER'],
              measures: [
                measureBody(MEASURES[0], 'FINANCE'),
                measureBody(MEASURES[1], 'NDRC'),
                measureBody(MEASURES[2], 'LAND'),
              ],
            },
          })
        ).status === 201,
      { timeoutMs: 30_000, message: 'the memorandum accepted' },
    );
  }, 480_000);

  afterAll(async () => {
    for (const child of children.values()) child.kill('SIGKILL');
    await Promise.all([...children.values()].map(exited));
    await probe?.close();
    await sql?.end();
    await database?.drop();
  });

  const issued = async () =>
    Number((await sql.query(`SELECT count(*)::int AS n FROM trigger.assignments`)).rows[0].n);

  it('issues every assignment exactly once after a SIGKILL in the middle of the fan-out', async () => {
    const court = await token('COURT', ['initiator']);
    let published = 0;
    const publishOne = async (i: number) => {
      const created = await api<{ id: string }>('POST', `${urls.get('registry')}/v1/list-entries`, {
        token: court,
        body: {
          listType: 'COURT_DEFAULTER',
          decision: { ...DECISION, documentNo: `(2026)浙0106执${i}号` },
          subject: { kind: 'legal_person', id: uscc(`KAL${String(i).padStart(5, '0')}`), name: `公司${i}` },
        },
      });
      expect(created.status).toBe(201);
      for (const step of ['notice', 'publish']) {
        const done = await api('POST', `${urls.get('registry')}/v1/list-entries/${created.body.id}/${step}`, {
          token: court,
        });
        expect(done.status).toBe(200);
      }
      published += 1;
    };
    // the entries go out four at a time while trigger fans them out, dies, and comes back
    const publishing = (async () => {
      for (let i = 0; i < ENTRIES; i += 4) {
        await Promise.all([i, i + 1, i + 2, i + 3].filter((k) => k < ENTRIES).map(publishOne));
      }
    })();

    // killed once it has issued some assignments and not yet all
    await waitFor(async () => (await issued()) >= 30, {
      timeoutMs: 180_000,
      message: 'the fan-out under way',
    });
    const trigger = children.get('trigger')!;
    trigger.kill('SIGKILL');
    await exited(trigger);
    const atKill = { issued: await issued(), published };
    expect(atKill.issued).toBeLessThan(ENTRIES * MEASURES.length);
    // down for a moment while the registry goes on publishing (its outbox keeps the events for Kafka)
    await new Promise((r) => setTimeout(r, 2_000));
    await start('trigger');
    await publishing;

    const expected = ENTRIES * MEASURES.length;
    await waitFor(async () => (await issued()) >= expected, {
      timeoutMs: 240_000,
      message: `${expected} assignments issued`,
    });
    const rows = (
      await sql.query<{ id: string; entry_id: string; measure_code: string }>(
        `SELECT id, entry_id, measure_code FROM trigger.assignments`,
      )
    ).rows;
    // each entry has each measure once: nothing lost, nothing doubled by the crash or the redelivery
    expect(rows).toHaveLength(expected);
    const perEntry = new Map<string, string[]>();
    for (const row of rows)
      perEntry.set(row.entry_id, [...(perEntry.get(row.entry_id) ?? []), row.measure_code]);
    expect(perEntry.size).toBe(ENTRIES);
    for (const measures of perEntry.values()) expect([...measures].sort()).toEqual([...MEASURES].sort());
    // and every one of them reached the topic (at least once)
    const ids = new Set(rows.map((r) => r.id));
    await waitFor(
      () => {
        const seen = new Set(
          assignmentsTopic.records
            .map(
              (r) => (JSON.parse(r.value ?? '{}') as { data?: { assignmentId?: string; id?: string } }).data,
            )
            .map((d) => d?.assignmentId ?? d?.id)
            .filter((id): id is string => !!id && ids.has(id)),
        );
        return seen.size === ids.size;
      },
      { timeoutMs: 60_000, message: 'every assignment on the topic' },
    );
    process.stdout.write(
      `fan-out kill: killed at ${atKill.issued}/${expected} assignments (${atKill.published}/${ENTRIES} entries published); all ${expected} issued once after the restart\n`,
    );
  }, 600_000);
});
