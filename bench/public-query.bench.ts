/**
 * 公示 benchmark (issue 14), with the whole platform running: registry, trigger, enforcement and tracking
 * as their own processes on real PostgreSQL, Redis and Kafka.
 *
 *  1. data: ENTRIES class-A entries published through the API (a third of them individuals, masked);
 *  2. public query: `GET /public/v1/entries` without a token under closed-loop load (CONNECTIONS
 *     keep-alive connections), two mixes — `hot` (a handful of pages and searches, as a front page sees
 *     them: answered from the cache) and `wide` (a search for a random subject's code or name among all
 *     of them: mostly the database) — against the registry's own `/health/live` measured in the same run;
 *  3. feed lag: LIFTS entries ended one by one; for each, from the end's answer to the withdrawal in the
 *     pull route (an external platform polling every POLL_MS) and on the `credit.publication` topic.
 *
 *   npm run bench:public     (env: ENTRIES=1000 CONNECTIONS=16 WARMUP_S=3 MEASURE_S=10 LIFTS=100 POLL_MS=50)
 *
 * The public quota is off (QUOTA_PUBLIC_PER_CLIENT=0): the load is one client.
 */
import 'reflect-metadata';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { mintToken } from '../libs/auth/src/token-verifier';
import { computeIdNumberCheckCharacter } from '../libs/identifiers/src';
import { Child, serviceEnv, sleep, startChild, uscc, withDatabase } from './check-support';

const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-check-secret-0123456789abcdef';
const ENTRIES = Number(process.env.ENTRIES ?? 1000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const WARMUP_S = Number(process.env.WARMUP_S ?? 3);
const MEASURE_S = Number(process.env.MEASURE_S ?? 10);
const LIFTS = Number(process.env.LIFTS ?? 100);
const POLL_MS = Number(process.env.POLL_MS ?? 50);
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 3621);

const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function call<T = Record<string, unknown>>(
  method: string,
  url: string,
  token?: string,
  body?: unknown,
) {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

function idNumber(n: number): string {
  const first17 = `330106${19700101 + (n % 28)}${String(n % 1000).padStart(3, '0')}`;
  return first17 + computeIdNumberCheckCharacter(first17);
}

interface Load {
  label: string;
  rps: number;
  requests: number;
  errors: number;
  p50: number;
  p99: number;
}

/** Closed-loop load: each connection sends the next GET as soon as the previous answer arrived. */
async function load(label: string, base: string, nextPath: () => string): Promise<Load> {
  const target = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        { agent, host: target.hostname, port: target.port, path, method: 'GET' },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  const stopAt = Date.now() + (WARMUP_S + MEASURE_S) * 1000;
  setTimeout(() => (measuring = true), WARMUP_S * 1000);
  const worker = async () => {
    while (Date.now() < stopAt) {
      const started = performance.now();
      const status = await get(nextPath()).catch(() => 0);
      if (!measuring) continue;
      if (status !== 200) errors += 1;
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const result = {
    label,
    rps: latencies.length / MEASURE_S,
    requests: latencies.length,
    errors,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
  };
  console.log(
    `${label}: ${fmt(result.rps)} req/s (${fmt(result.requests)} requests, ${errors} errors), ` +
      `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`,
  );
  return result;
}

async function cacheCounts(registry: string): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${registry}/metrics`)).text();
  const sum = (cache: string) =>
    [
      ...text.matchAll(new RegExp(`credit_public_queries_total\\{[^}]*cache="${cache}"[^}]*\\} (\\d+)`, 'g')),
    ].reduce((s, m) => s + Number(m[1]), 0);
  return { hit: sum('hit'), miss: sum('miss') };
}

async function main() {
  await withDatabase(PG_ADMIN, async (databaseUrl) => {
    const prefix = `bench${randomBytes(3).toString('hex')}.`;
    const extra = { QUOTA_PUBLIC_PER_CLIENT: '0', PUBLICATION_FEED_SEQUENCE_INTERVAL_MS: '250' };
    const children: Child[] = [];
    try {
      for (const [i, name] of ['registry', 'trigger', 'enforcement', 'tracking'].entries()) {
        children.push(
          await startChild({
            name,
            script: `apps/${name}/src/main.ts`,
            port: PORT_BASE + i,
            env: {
              ...serviceEnv(name, {
                databaseUrl,
                prefix,
                secret: SECRET,
                brokers: BROKERS,
                redisUrl: REDIS_URL,
              }),
              ...extra,
            },
          }),
        );
      }
      const registry = children[0].url;
      const admin = await mintToken({ sub: 'bench', dept: 'CREDIT_OFFICE', roles: ['admin'] }, SECRET);
      const court = await mintToken({ sub: 'bench', dept: 'COURT', roles: ['initiator'] }, SECRET);
      const platform = await mintToken({ sub: 'bench', dept: 'XYZG', roles: ['system'] }, SECRET);
      for (const body of [
        { code: 'COURT', name: '杭州市中级人民法院', region: '330100' },
        { code: 'XYZG', name: '信用中国', region: '100000', externalPlatform: true },
      ]) {
        const res = await call('POST', `${registry}/v1/departments`, admin, body);
        if (res.status !== 201) throw new Error(`department: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const listType = await call('POST', `${registry}/v1/list-types`, admin, {
        code: 'COURT_DEFAULTER',
        name: '失信被执行人名单',
        colour: 'black',
        ownerDept: 'COURT',
        legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
        infoClass: 'A',
        severity: 'serious',
        defaultPeriodDays: 730,
        subjectKinds: ['legal_person', 'individual'],
        noticeWorkingDays: 0,
        suspendOnObjection: false,
      });
      if (listType.status !== 201) throw new Error(`list type: ${listType.status}`);

      // 1. data
      const subjects = Array.from({ length: ENTRIES }, (_, n) =>
        n % 3 === 2
          ? { kind: 'individual', id: idNumber(n), name: `张${'三四五六七'[n % 5]}${n}` }
          : { kind: 'legal_person', id: uscc(n, 'P'), name: `杭州公示${n}号科技有限公司` },
      );
      const ids: string[] = new Array(ENTRIES);
      const seedStarted = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let n = next++; n < ENTRIES; n = next++) {
            const created = await call<{ id: string }>('POST', `${registry}/v1/list-entries`, court, {
              listType: 'COURT_DEFAULTER',
              subject: subjects[n],
              decision: { documentNo: `(2026)浙0106执${n}号`, date: '2026-10-01', facts: '拒不履行' },
            });
            if (created.status !== 201)
              throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
            for (const step of ['notice', 'publish'])
              await call('POST', `${registry}/v1/list-entries/${created.body.id}/${step}`, court);
            ids[n] = created.body.id;
          }
        }),
      );
      console.log(
        `seeded ${fmt(ENTRIES)} published class-A entries in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`,
      );

      // 2. public query under load, against /health/live of the same process
      const hot = [
        '/public/v1/entries',
        '/public/v1/entries?limit=50',
        '/public/v1/entries?listType=COURT_DEFAULTER',
        `/public/v1/entries?q=${encodeURIComponent('公示1号')}`,
        `/public/v1/entries?q=${subjects[0].id}`,
        '/public/v1/list-types',
      ];
      const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
      const baseline = await load('baseline GET /health/live', registry, () => '/health/live');
      const before = await cacheCounts(registry);
      const hotLoad = await load('public, hot mix (cached)', registry, () => pick(hot));
      const mid = await cacheCounts(registry);
      const wideLoad = await load('public, wide mix (random subject)', registry, () => {
        const s = pick(subjects);
        return `/public/v1/entries?q=${encodeURIComponent(Math.random() < 0.5 ? s.id : s.name)}`;
      });
      const after = await cacheCounts(registry);
      const ratio = (a: { hit: number; miss: number }, b: { hit: number; miss: number }) =>
        (b.hit - a.hit) / Math.max(1, b.hit - a.hit + b.miss - a.miss);
      console.log(
        `cache hit ratio: hot ${(100 * ratio(before, mid)).toFixed(1)} %, wide ${(100 * ratio(mid, after)).toFixed(1)} %`,
      );

      // 3. feed lag: the pull route and the topic
      const kafka = new Kafka({
        brokers: BROKERS.split(','),
        clientId: 'bench-public',
        logLevel: logLevel.NOTHING,
      });
      const consumer = kafka.consumer({ groupId: `${prefix}bench.publication` });
      const seenOnTopic = new Map<string, number>();
      await consumer.connect();
      await consumer.subscribe({ topic: `${prefix}credit.publication`, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const event = JSON.parse(message.value!.toString()) as { type: string; data: { entryId: string } };
          if (event.type === 'credit.publication.withdrawn.v1')
            seenOnTopic.set(event.data.entryId, Date.now());
        },
      });
      let cursor = (
        await call<{ nextCursor: string }>('GET', `${registry}/v1/publication-feed?limit=1000`, platform)
      ).body.nextCursor;
      for (;;) {
        const page = await call<{ nextCursor: string; caughtUp: boolean }>(
          'GET',
          `${registry}/v1/publication-feed?limit=1000&cursor=${cursor}`,
          platform,
        );
        cursor = page.body.nextCursor;
        if (page.body.caughtUp) break;
      }
      const seenInFeed = new Map<string, number>();
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const page = await call<{ items: { type: string; entryId: string }[]; nextCursor: string }>(
            'GET',
            `${registry}/v1/publication-feed?limit=1000&cursor=${cursor}`,
            platform,
          );
          const now = Date.now();
          for (const item of page.body.items)
            if (item.type === 'credit.publication.withdrawn.v1') seenInFeed.set(item.entryId, now);
          cursor = page.body.nextCursor;
          await sleep(POLL_MS);
        }
      })();
      const endedAt = new Map<string, number>();
      for (let i = 0; i < Math.min(LIFTS, ENTRIES); i += 1) {
        const id = ids[i];
        const res = await call('POST', `${registry}/v1/list-entries/${id}/end`, court, {
          reason: 'repaired',
          note: 'bench',
        });
        if (res.status !== 200) throw new Error(`end: ${res.status}`);
        endedAt.set(id, Date.now());
        await sleep(100);
      }
      const deadline = Date.now() + 60_000;
      while ((seenInFeed.size < endedAt.size || seenOnTopic.size < endedAt.size) && Date.now() < deadline)
        await sleep(100);
      polling = false;
      await poller;
      await consumer.disconnect();
      const lags = (seen: Map<string, number>) =>
        [...endedAt]
          .filter(([id]) => seen.has(id))
          .map(([id, t]) => seen.get(id)! - t)
          .sort((a, b) => a - b);
      const feed = lags(seenInFeed);
      const topic = lags(seenOnTopic);
      console.log(
        `feed lag (pull route, polled every ${POLL_MS} ms): ${feed.length}/${endedAt.size} seen, ` +
          `p50 ${pct(feed, 50)} ms, p99 ${pct(feed, 99)} ms, max ${feed[feed.length - 1]} ms`,
      );
      console.log(
        `feed lag (credit.publication on Kafka): ${topic.length}/${endedAt.size} seen, ` +
          `p50 ${pct(topic, 50)} ms, p99 ${pct(topic, 99)} ms, max ${topic[topic.length - 1]} ms`,
      );
      console.log(
        JSON.stringify({
          entries: ENTRIES,
          connections: CONNECTIONS,
          baseline,
          hot: hotLoad,
          wide: wideLoad,
          feed: { p50: pct(feed, 50), p99: pct(feed, 99) },
          topic: { p50: pct(topic, 50), p99: pct(topic, 99) },
        }),
      );
    } finally {
      for (const child of children.reverse()) await child.stop();
    }
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
