/**
 * What a check hit costs in enforcement's outbox, as CPU (decision 0057): the same hit events written and
 * relayed as one outbox row each (before) and as one recipe row per flush (after), in flushes of FLUSH
 * checks, on real PostgreSQL. CPU-seconds (user + system) of this process and of the PostgreSQL backends
 * serving it, not wall time: the machine is shared, and CPU time moves far less with the neighbours.
 * The bus takes the records and drops them (what kafkajs costs is the same for both: one record a hit).
 *
 *   node -r ./bench/register.js bench/check-hits-outbox.bench.ts   (env: HITS=20000 FLUSH=1000 ROUNDS=3)
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { MessageBus, Outbox, OutboxPayloadCache, OutboxRelay, OutgoingRecord } from '@credit/messaging';
import {
  CHECK_HITS_RECIPE,
  CheckRecord,
  checkHitsRecipe,
  hitMessages,
  rebuildCheckHits,
} from '../apps/enforcement/src/checks/check-log';
import { openEnforcementDatabase } from '../test/support/enforcement-database';

const HITS = Number(process.env.HITS ?? 20_000);
const FLUSH = Number(process.env.FLUSH ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const hit = (): CheckRecord => {
  const subjectId = `91330106MA${randomUUID().slice(0, 7).toUpperCase()}X`;
  return {
    id: randomUUID(),
    dept: 'FINANCE',
    actor: 'bench',
    subjectId,
    action: 'government_procurement_bid',
    decision: 'block',
    reasons: [],
    binding: [
      {
        entryId: randomUUID(),
        assignmentId: randomUUID(),
        subjectId,
        measureCode: 'BENCH-PLATFORM-BID-BLOCK',
        dept: 'FINANCE',
        mode: 'block',
      } as unknown as CheckRecord['binding'][number],
    ],
    at: new Date(),
  };
};

/** Takes records and drops them. */
class DroppingBus {
  readonly durable = true;
  records = 0;
  publish(records: OutgoingRecord[]) {
    this.records += records.length;
    return Promise.resolve();
  }
}

const cpuOfPid = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
};

async function backendsCpu(db: DataSource, pids: Set<number>): Promise<number> {
  const rows: { pid: number }[] = await db.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  );
  for (const r of rows) pids.add(r.pid);
  let sum = 0;
  for (const pid of pids) sum += cpuOfPid(pid);
  return sum;
}

async function run(db: DataSource, mode: 'rows' | 'recipe') {
  // as a service wires them: the relay takes what its own outbox wrote from memory
  const cache = new OutboxPayloadCache();
  const outbox = new Outbox('enforcement', cache);
  const bus = new DroppingBus();
  const relay = new OutboxRelay({
    service: 'enforcement',
    schema: 'enforcement',
    dataSource: db,
    bus: bus as unknown as MessageBus,
    logger: pino({ level: 'silent' }),
    cache,
  });
  relay.registerRecipe(CHECK_HITS_RECIPE, rebuildCheckHits);
  const flushes = Array.from({ length: Math.ceil(HITS / FLUSH) }, () =>
    Array.from({ length: FLUSH }, () => hitMessages(hit())).flat(),
  );
  const pids = new Set<number>();
  const pgBefore = await backendsCpu(db, pids);
  const nodeBefore = process.cpuUsage();
  for (const messages of flushes) {
    await db.transaction(async (manager) => {
      if (mode === 'rows') await outbox.add(manager, messages);
      else await outbox.addRecipe(manager, checkHitsRecipe(messages));
    });
  }
  while ((await relay.publishPending()) > 0);
  const node = process.cpuUsage(nodeBefore);
  const pg = (await backendsCpu(db, pids)) - pgBefore;
  const nodeS = (node.user + node.system) / 1e6;
  return { mode, records: bus.records, nodeS, pg, perHitMs: (1000 * (nodeS + pg)) / bus.records };
}

async function main() {
  console.log(
    `check hits through enforcement's outbox: ${HITS} hits in flushes of ${FLUSH}, ${ROUNDS} rounds each way; ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const { db, close } = await openEnforcementDatabase('pg');
  try {
    await run(db, 'rows'); // warm-up: the JIT, the tables' first pages
    const results: Record<string, number[]> = { rows: [], recipe: [] };
    for (let i = 0; i < ROUNDS; i += 1) {
      for (const mode of ['rows', 'recipe'] as const) {
        const r = await run(db, mode);
        results[mode].push(r.perHitMs);
        console.log(
          `  ${mode === 'rows' ? 'a row per hit   ' : 'a row per flush '}: ${r.records} records relayed; CPU-s node ${r.nodeS.toFixed(2)}, ` +
            `PostgreSQL ${r.pg.toFixed(2)} = ${r.perHitMs.toFixed(4)} CPU-ms per hit`,
        );
      }
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    console.log(
      `median CPU-ms per hit in enforcement's outbox: a row per hit ${median(results.rows).toFixed(4)}, ` +
        `a row per flush ${median(results.recipe).toFixed(4)}; load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
  } finally {
    await close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
