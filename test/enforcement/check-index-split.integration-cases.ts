import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { mintToken } from '@credit/auth';
import { EventTypes, keyPartition, Topics } from '@credit/contracts';
import { createCloudEvent, KafkaBus } from '@credit/messaging';
import { createServiceDataSource, openServiceDatabase } from '@credit/persistence';
import { createRootLogger, loadConfig, ServiceConfig } from '@credit/platform';
import { createServiceApp } from '@credit/runtime';
import { ActiveMeasures, WHOLE } from '../../apps/enforcement/src/checks/active-measures';
import type { CheckIndexState } from '../../apps/enforcement/src/checks/check-index.controller';
import { enforcementSettingsFromEnv } from '../../apps/enforcement/src/config';
import {
  ENFORCEMENT_ENTITIES,
  ENFORCEMENT_MIGRATIONS,
  EnforcementModule,
} from '../../apps/enforcement/src/enforcement.module';
import { buildGateway } from '../../apps/gateway/src/gateway';
import { RouteTable } from '../../apps/gateway/src/route-table';
import { uscc } from '../registry/registry-fixtures';
import { admitDepartment } from '../support/departments';
import { createKafkaBus, createTestDatabase, KAFKA_BROKERS, uniquePrefix, waitFor } from '../support/infra';
import { freePort } from '../support/service-process';
import { TEST_JWT_SECRET } from '../support/services';

const PARTITIONS = 6;
const SUBJECTS = 240;
/** every 4th subject is lifted during the test; the others' measures never change */
const lifted = (i: number) => i % 4 === 0;
const subject = (i: number) => uscc(`KX${String(i).padStart(6, '0')}`);
const MEASURE = {
  code: 'BAN',
  version: 1,
  memorandumCode: 'MOU1',
  text: '限制参与政府采购',
  kind: 'punishment',
  mode: 'block',
  actions: ['government_procurement_bid'],
  legalBasis: '《中华人民共和国政府采购法》第二十二条',
  feedbackWorkingDays: 5,
};

interface Replica {
  name: string;
  app: NestFastifyApplication;
  url: string;
  active: ActiveMeasures;
}

/**
 * The check's index split by the Kafka group's assignment (decisions 0055, 0058) on the real broker: three
 * enforcement replicas (Nest applications in this process, each its own Kafka client, HTTP server and
 * pool) on a topic of six partitions, the gateway routing checks by partition, lifts published as the
 * trigger service publishes them. A replica joins and one leaves while checks and lifts go on.
 */
describe('the check index split over replicas by the Kafka group (real broker)', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Client;
  let bus: KafkaBus;
  let gateway: FastifyInstance;
  const replicas: Replica[] = [];
  const prefix = uniquePrefix();
  let config: ServiceConfig;
  let token: string;
  /** assignment rows per subject (two each) */
  const rowsOf = new Map<string, { id: string; entryId: string }[]>();

  const start = async (name: string, port: number): Promise<Replica> => {
    const app = await createServiceApp({
      name: 'enforcement',
      title: name,
      config,
      logger: createRootLogger(`enforcement-${name}`, config.LOG_LEVEL),
      modules: [
        EnforcementModule.register({
          databaseUrl: database.url,
          poolSize: 3,
          migrate: true,
          redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
          ...enforcementSettingsFromEnv(),
          checkIndex: { split: true, maxRows: 1_000_000 },
        }),
      ],
      quotaRedisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    await app.listen(port, '127.0.0.1');
    admitDepartment([app], 'FINANCE', ['system']);
    const replica = { name, app, url: `http://127.0.0.1:${port}`, active: app.get(ActiveMeasures) };
    replicas.push(replica);
    return replica;
  };
  const stateOf = async (r: Replica) =>
    (await (await fetch(`${r.url}/health/check-index`)).json()) as CheckIndexState;
  /** the readiness report's entry for the check index ('up' / 'down'; the others may time out under load) */
  const indexReadiness = async (r: Replica) => {
    const report = (await (await fetch(`${r.url}/health/ready`)).json()) as {
      checks: Record<string, { status: string }>;
    };
    return report.checks['enforcement.check-index']?.status;
  };
  /** Every partition held by exactly one of `live`, each of them loaded. */
  const coveredBy = async (live: Replica[]) => {
    const held = (await Promise.all(live.map(stateOf))).flatMap((s) => (s.complete ? s.held : [NaN]));
    return held.length === PARTITIONS && new Set(held).size === PARTITIONS && !held.some(Number.isNaN);
  };
  const check = async (base: string, id: string) => {
    const response = await fetch(`${base}/v1/checks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: { id }, action: 'government_procurement_bid' }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { decision: string }).decision;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    config = loadConfig(ServiceConfig, {
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '3',
      KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_PARTITIONS: String(PARTITIONS),
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    });
    // the schema and the binding set before any replica starts: each reads it at start
    const dataSource = createServiceDataSource({
      url: database.url,
      schema: 'enforcement',
      entities: ENFORCEMENT_ENTITIES,
      migrations: ENFORCEMENT_MIGRATIONS,
      poolSize: 1,
    });
    await openServiceDatabase(dataSource);
    await dataSource.destroy();
    db = new Client({ connectionString: database.url });
    await db.connect();
    const ids = Array.from({ length: SUBJECTS }, (_, i) => subject(i));
    const { rows } = await db.query(
      `INSERT INTO enforcement.assignments (id, entry_id, dept, measure, list_type, list_colour, subject_id,
         subject_kind, subject_name, target_id, target_kind, period_from, period_to, status, issued_at,
         feedback_deadline, updated_at, key_partition)
       SELECT gen_random_uuid(), gen_random_uuid(), 'FINANCE', $1::jsonb, 'COURT_DEFAULTER', 'black', t.id,
         'legal_person', 'x', t.id, 'legal_person', now() - interval '1 day', now() + interval '1 year',
         'issued', now(), now() + interval '7 days', now(), enforcement.key_hash(t.id) % 48
       FROM unnest($2::text[]) t(id), generate_series(1, 2)
       RETURNING id, entry_id, target_id`,
      [JSON.stringify(MEASURE), ids],
    );
    for (const row of rows as { id: string; entry_id: string; target_id: string }[]) {
      const list = rowsOf.get(row.target_id) ?? [];
      list.push({ id: row.id, entryId: row.entry_id });
      rowsOf.set(row.target_id, list);
    }
    bus = createKafkaBus(prefix);
    token = await mintToken({ sub: 'finance-system', dept: 'FINANCE', roles: ['system'] }, TEST_JWT_SECRET);
  });

  afterAll(async () => {
    await gateway?.close();
    for (const r of replicas.reverse()) await r.app.close().catch(() => undefined);
    await bus?.close();
    await db?.end();
    await database?.drop();
  });

  it('a join and a leave under checks and lifts: no lift lost, no answer from an incomplete partition', async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    const [a, b] = [await start('a', ports[0]), await start('b', ports[1])];
    await waitFor(() => coveredBy([a, b]), { timeoutMs: 60_000, message: 'a and b hold the six partitions' });
    for (const r of [a, b]) expect(await indexReadiness(r)).toBe('up');
    // the gateway knows all three replicas, c down at first: its checks go to a and b
    gateway = await buildGateway({
      upstreams: {
        registry: 'http://127.0.0.1:9',
        trigger: 'http://127.0.0.1:9',
        enforcement: a.url,
        tracking: 'http://127.0.0.1:9',
      },
      table: new RouteTable([{ method: 'POST', path: '/v1/checks', service: 'enforcement' }]),
      enforcementReplicas: ports.map((p) => `http://127.0.0.1:${p}`),
      checkRoutingRefreshMs: 200,
    });
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    const gatewayUrl = `http://127.0.0.1:${(gateway.server.address() as { port: number }).port}`;

    // checks all the time, through the gateway: a subject never lifted must never be allowed (an
    // incomplete partition would answer "no measure"); and from memory, on every live replica, a stable
    // subject is either not answered (PostgreSQL is asked) or answered with both of its rows
    let stop = false;
    const wrong: string[] = [];
    let checks = 0;
    let fromMemory = 0;
    const stable = Array.from({ length: SUBJECTS }, (_, i) => i).filter((i) => !lifted(i));
    const checking = (async () => {
      for (let k = 0; !stop; k += 1) {
        const i = stable[(k * 7) % stable.length];
        const decision = await check(gatewayUrl, subject(i));
        checks += 1;
        if (decision !== 'block') wrong.push(`${subject(i)} answered ${decision} through the gateway`);
        for (const r of replicas) {
          const known = r.active.known(subject(i));
          if (known === undefined) continue;
          fromMemory += 1;
          if (known.length !== 2)
            wrong.push(`${r.name} answered ${subject(i)} from memory with ${known.length} rows`);
        }
      }
    })();
    // lifts, published as the trigger service publishes them, keyed by the subject
    const liftedIds: string[] = [];
    // half of the lifts while c joins, the other half once b is leaving
    let leaving = false;
    const lifting = (async () => {
      for (let i = 0; i < SUBJECTS && !stop; i += 1) {
        if (!lifted(i)) continue;
        while (liftedIds.length === SUBJECTS / 8 && !leaving) await new Promise((r) => setTimeout(r, 50));
        const id = subject(i);
        await bus.publish(
          rowsOf.get(id)!.map((row) => ({
            topic: Topics.assignments,
            key: id,
            value: JSON.stringify(
              createCloudEvent({
                type: EventTypes.assignmentLifted,
                source: 'credit/trigger',
                subject: row.id,
                data: {
                  assignmentId: row.id,
                  entryId: row.entryId,
                  dept: 'FINANCE',
                  target: { id, kind: 'legal_person' },
                  reason: 'entry_ended',
                  liftedAt: new Date().toISOString(),
                },
              }),
            ),
          })),
        );
        liftedIds.push(id);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();

    // c joins: not ready, and nothing from its memory, until the partitions the group gives it are read;
    // its read is held back (the table locked) until it is seen joined and not ready
    await db.query('BEGIN');
    await db.query('LOCK TABLE enforcement.assignments IN ACCESS EXCLUSIVE MODE');
    const c = await start('c', ports[2]);
    let sawNotReady = false;
    try {
      await waitFor(async () => (await stateOf(c)).assigned.length > 0, {
        timeoutMs: 60_000,
        message: 'c given partitions',
      });
      expect(await indexReadiness(c)).toBe('down');
      sawNotReady = true;
      expect((await stateOf(c)).loaded).toBe(false);
      for (let i = 0; i < SUBJECTS; i += 1) expect(c.active.known(subject(i))).toBeUndefined();
    } finally {
      await db.query('COMMIT');
    }
    await waitFor(
      async () => {
        // loaded only grows: a state read first that says loaded must be followed by ready
        const state = await stateOf(c);
        const status = await indexReadiness(c);
        if (state.loaded && status !== 'up') wrong.push('c loaded but not ready');
        if (status !== 'up') {
          sawNotReady = true;
          for (let i = 0; i < SUBJECTS; i += 1)
            if (!c.active.loaded && c.active.known(subject(i)) !== undefined)
              wrong.push(`c answered ${subject(i)} from memory before it was loaded`);
          return false;
        }
        return state.loaded;
      },
      { timeoutMs: 60_000, intervalMs: 20, message: 'c ready' },
    );
    expect(sawNotReady).toBe(true);
    await waitFor(() => coveredBy([a, b, c]), {
      timeoutMs: 60_000,
      message: 'a, b and c share the partitions',
    });
    const shares = await Promise.all([a, b, c].map(stateOf));
    for (const s of shares) expect(s.held.length).toBeGreaterThan(0);

    // b leaves: a and c read its partitions while checks and lifts go on
    replicas.splice(replicas.indexOf(b), 1);
    leaving = true;
    await b.app.close();
    await waitFor(() => coveredBy([a, c]), { timeoutMs: 60_000, message: 'a and c hold the six partitions' });
    expect(await indexReadiness(a)).toBe('up');
    expect(await indexReadiness(c)).toBe('up');

    await lifting;
    stop = true;
    await checking;
    expect(wrong).toEqual([]);
    expect(liftedIds.length).toBe(SUBJECTS / 4);
    expect(checks).toBeGreaterThan(20);
    expect(fromMemory).toBeGreaterThan(20);

    // no lift lost: every lifted subject is allowed by every live replica and through the gateway, and
    // the owner answers it from memory
    for (const id of liftedIds) {
      await waitFor(async () => (await check(gatewayUrl, id)) === 'allow', { message: `${id} allowed` });
      for (const r of [a, c]) expect(await check(r.url, id)).toBe('allow');
      const owner = await Promise.all([a, c].map(stateOf)).then((states) =>
        [a, c].find((_, k) => states[k].held.includes(keyPartition(id, PARTITIONS))),
      );
      await waitFor(() => owner!.active.known(id)?.length === 0, { message: `${id} lifted in memory` });
    }
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM enforcement.assignments WHERE status = 'lifted'`,
    );
    expect(rows[0].n).toBe(liftedIds.length * 2);
    // the owners hold every row still binding, once (a pass drops the rows lifted since they were read)
    await Promise.all([a, c].map((r) => r.active.backstop()));
    const held = [a, c].reduce((sum, r) => sum + r.active.rowsHeld, 0);
    expect(held).toBe((SUBJECTS - liftedIds.length) * 2);
    expect(a.active.heldPartitions).not.toBe(WHOLE);
  }, 240_000);
});
