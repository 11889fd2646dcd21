/**
 * What tracing costs the check (decision 0049): `POST /v1/checks` on the embedded pieces (the medium
 * tier's platform: PGlite, the in-process bus, one Nest app, requests through fastify.inject so that no
 * socket noise hides the difference), with tracing off (no hooks: the default) and on (every request
 * sampled, spans to an in-memory exporter in batches). Rounds alternate off/on, each on a fresh platform.
 *
 *   npm run bench:tracing        (env: CHECKS=3000 ROUNDS=2)
 */
import 'reflect-metadata';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { setupTracing } from '../libs/platform/src/tracing';
import { startMedium } from '../test/support/medium';

const CHECKS = Number(process.env.CHECKS ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const body = { subject: { id: '91330106MA27XQ5R3Y' }, action: 'government_procurement_bid' };

async function round(
  traced: boolean,
): Promise<{ perCheckUs: number; p50Us: number; p99Us: number; spans: number }> {
  const exporter = new InMemorySpanExporter();
  const tracing = traced ? setupTracing({ serviceName: 'bench', exporter }) : undefined;
  const platform = await startMedium({ services: ['enforcement'] });
  try {
    const token = await platform.token('FINANCE', ['system']);
    const fastify = platform.app.getHttpAdapter().getInstance();
    const check = () =>
      fastify.inject({
        method: 'POST',
        url: '/v1/checks',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    for (let i = 0; i < 500; i += 1) if ((await check()).statusCode !== 200) throw new Error('check failed');
    const times: number[] = [];
    const started = process.hrtime.bigint();
    for (let i = 0; i < CHECKS; i += 1) {
      const t0 = process.hrtime.bigint();
      await check();
      times.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    const total = Number(process.hrtime.bigint() - started) / 1000;
    times.sort((a, b) => a - b);
    await tracing?.flush();
    return {
      perCheckUs: Math.round(total / CHECKS),
      p50Us: Math.round(times[Math.floor(CHECKS * 0.5)]),
      p99Us: Math.round(times[Math.floor(CHECKS * 0.99)]),
      spans: exporter.getFinishedSpans().length,
    };
  } finally {
    await platform.close();
    await tracing?.shutdown();
  }
}

async function main() {
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const traced of [false, true]) {
      const result = await round(traced);
      process.stdout.write(`${traced ? 'on ' : 'off'} ${JSON.stringify(result)}\n`);
    }
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
