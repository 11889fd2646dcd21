/**
 * Bulk import throughput: HTTP upload of a generated CSV → the import's answer, for draft and publish
 * mode, against the real registry (in process) on the real PostgreSQL and Kafka; with a baseline measured
 * in the same run: a raw COPY of the same CSV text into a plain unindexed table.
 *
 *   npm run bench:import            (BENCH_ROWS=50000 BENCH_RUNS=3 by default)
 */
import 'reflect-metadata';
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { USCC_CHARSET } from '@credit/identifiers';
import { ImportListEntriesUseCase } from '../apps/registry/src/imports/import-list-entries.usecase';
import { startRegistry } from '../test/support/registry-app';
import { idNumber, seedRegistry, tokensFor, uscc } from '../test/registry/registry-fixtures';

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET = 50_000;

function company(prefix: string, n: number): string {
  let body = '';
  for (let i = 0, v = n; i < 6; i += 1, v = Math.floor(v / 31)) body = USCC_CHARSET[v % 31] + body;
  return uscc(prefix + body);
}

/** when and how the subjects were told (告知): publish mode never presumes it (decision 0033) */
const NOTICED = '2026-10-01T10:00:00+08:00,post';

/** A file like a court's export: companies, every 10th with its legal representative. */
function generateCsv(prefix: string, rows: number): string {
  const lines = [
    'subjectKind,subjectId,subjectName,documentNo,decisionDate,facts,legalRepresentativeId,legalRepresentativeName,noticedAt,noticeChannel',
  ];
  for (let i = 0; i < rows; i += 1) {
    const rep = i % 10 === 3 ? `${idNumber('19700101', String(i % 1000).padStart(3, '0'))},李${i}` : ',';
    lines.push(
      `legal_person,${company(prefix, i)},杭州某某科技${i}有限公司,(2026)浙0106执${i}号,2026-10-01,"有履行能力而拒不履行生效法律文书确定的义务, 案号${i}",${rep},${NOTICED}`,
    );
  }
  return lines.join('\r\n') + '\r\n';
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main() {
  const registry = await startRegistry();
  const tokens = await tokensFor(registry);
  await seedRegistry(registry, tokens);
  const db = new Client({ connectionString: registry.databaseUrl });
  await db.connect();
  const useCase = registry.app.get(ImportListEntriesUseCase);
  try {
    const {
      rows: [{ server_version }],
    } = await db.query('SHOW server_version');
    console.log(
      `conditions: rows=${ROWS} runs=${RUNS} cpus=${os.cpus().length} (${os.cpus()[0]?.model.trim()}) node=${process.version} postgresql=${server_version}`,
    );

    // baseline: the same text, raw COPY, no parsing in Node, no checks, no indexes
    await db.query(
      'CREATE TABLE public.bench_baseline (a text, b text, c text, d text, e text, f text, g text, h text, i text, j text)',
    );
    let baselineBest = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const text = generateCsv(`B${USCC_CHARSET[run]}`, ROWS);
      await db.query('TRUNCATE public.bench_baseline');
      const started = performance.now();
      await db.query('BEGIN');
      await pipeline(
        Readable.from([Buffer.from(text)]),
        db.query(copyFrom('COPY public.bench_baseline FROM STDIN WITH (FORMAT csv, HEADER true)')),
      );
      await db.query('COMMIT');
      const rate = ROWS / ((performance.now() - started) / 1000);
      baselineBest = Math.max(baselineBest, rate);
      console.log(`baseline raw COPY run ${run + 1}: ${fmt(rate)} rows/s`);
    }
    console.log(`baseline raw COPY best: ${fmt(baselineBest)} rows/s`);

    // warm-up (JIT, connection pool, caches): not counted
    await upload(registry.url, tokens.court, 'draft', generateCsv('WU', 5000));

    for (const mode of ['draft', 'publish'] as const) {
      const rates: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const text = generateCsv(`${mode === 'draft' ? 'D' : 'P'}${USCC_CHARSET[run]}`, ROWS);
        const started = performance.now();
        const report = await upload(registry.url, tokens.court, mode, text);
        const seconds = (performance.now() - started) / 1000;
        if (report.accepted !== ROWS) throw new Error(`${mode}: ${JSON.stringify(report).slice(0, 500)}`);
        const rate = ROWS / seconds;
        rates.push(rate);
        const p = useCase.lastProfile!;
        console.log(
          `${mode} run ${run + 1}: ${fmt(rate)} rows/s (${seconds.toFixed(2)} s, ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB); ` +
            `phases ms: parse+validate=${fmt(p.parseAndValidate)} waitForDb=${fmt(p.waitForDatabase)} ` +
            `overlap=${fmt(p.overlap)} subjects=${fmt(p.subjects)} entries=${fmt(p.entries)} outbox=${fmt(p.outbox)} documents=${fmt(p.documents)} commit=${fmt(p.commit)}`,
        );
        if (mode === 'publish') await drainOutbox(db); // the relay's Kafka sends would slow the next run
      }
      const sorted = [...rates].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      console.log(
        `${mode}: median ${fmt(median)} rows/s, best ${fmt(sorted[sorted.length - 1])} rows/s; ` +
          `${(median / baselineBest).toFixed(2)}x of raw COPY; target ${fmt(TARGET)} rows/s ${median >= TARGET ? 'met' : 'NOT met'}`,
      );
    }
  } finally {
    await db.end();
    await registry.close();
  }
}

async function upload(baseUrl: string, token: string, mode: string, text: string) {
  const response = await fetch(`${baseUrl}/v1/list-entries/imports?listType=COURT_DEFAULTER&mode=${mode}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: text,
  });
  const body = (await response.json()) as { accepted: number };
  if (response.status !== 201) throw new Error(`import answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

async function drainOutbox(db: Client) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { rows } = await db.query('SELECT count(*)::int AS n FROM registry.message_outbox');
    if (rows[0].n === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
