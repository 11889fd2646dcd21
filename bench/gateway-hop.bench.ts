/**
 * `npm run bench:gateway-hop` — what the gateway's hop costs a check (issue 19, decision 0065): one stub
 * replica (bench/check-stub.ts: node:http, the answer of an unlisted subject) and the gateway
 * (apps/gateway/src/main.ts, ENFORCEMENT_REPLICAS = the stub), each in its own process, and the closed-loop
 * load generator (bench/check-load.ts) in a third: the same load straight to the stub, then routed through
 * the gateway, alternately, ROUNDS times. Besides checks/s and latencies (this machine's contention), the
 * CPU-seconds per 1,000 checks of the gateway and of the stub (/proc/<pid>/stat), with the load average.
 *
 * Env: ROUNDS (3), SECONDS (10), CONNECTIONS (32), PARTITIONS (12), PROFILE_DIR (the gateway's --cpu-prof).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { Child, LoadResult, runLoad, startChild } from './check-support';

const ROUNDS = Number(process.env.ROUNDS ?? '3');
const SECONDS = Number(process.env.SECONDS ?? '10');
const CONNECTIONS = Number(process.env.CONNECTIONS ?? '32');
const PARTITIONS = process.env.PARTITIONS ?? '12';
const log = (l: string) => process.stdout.write(l + '\n');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** user + system CPU-seconds of a child so far */
function cpuOf(child: Child): number {
  const fields = readFileSync(`/proc/${child.process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main(): Promise<void> {
  const stub = await startChild({
    name: 'stub',
    script: 'bench/check-stub.ts',
    port: await freePort(),
    env: { PARTITIONS },
  });
  const gateway = await startChild({
    name: 'gateway',
    script: 'apps/gateway/src/main.ts',
    port: await freePort(),
    profileDir: process.env.PROFILE_DIR,
    env: {
      REGISTRY_URL: stub.url,
      TRIGGER_URL: stub.url,
      ENFORCEMENT_URL: stub.url,
      TRACKING_URL: stub.url,
      ENFORCEMENT_REPLICAS: stub.url,
      CONSOLE_DIR: '/nonexistent',
      LOG_LEVEL: 'error',
    },
  });
  log(`gateway hop: stub ${stub.url}, gateway ${gateway.url}; load average ${load()}`);
  const arm = async (name: string, url: string): Promise<LoadResult> => {
    const gatewayCpu = cpuOf(gateway);
    const stubCpu = cpuOf(stub);
    const r = await runLoad({
      url,
      path: '/v1/checks',
      connections: CONNECTIONS,
      warmupSeconds: 2,
      seconds: SECONDS,
      scale: { listed: 150_000, unlisted: 1_000_000, listedShare: 0.1 },
    });
    const sent = r.sent ?? r.requests;
    const perK = (cpu: number) => fmt((cpu * 1000) / sent, 3);
    log(
      `${name}: ${fmt(r.rps)} checks/s; p50 ${fmt(r.p50, 1)} ms p99 ${fmt(r.p99, 1)} ms; ${r.errors} errors; ` +
        `CPU-s per 1,000 checks: gateway ${perK(cpuOf(gateway) - gatewayCpu)}, stub ${perK(cpuOf(stub) - stubCpu)}, ` +
        `load generator ${perK(r.cpuSeconds ?? 0)}; load average ${load()}`,
    );
    return r;
  };
  const straight: number[] = [];
  const routed: number[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    straight.push((await arm(`round ${round} straight to the stub`, stub.url)).rps);
    routed.push((await arm(`round ${round} routed by the gateway`, gateway.url)).rps);
  }
  const ratios = routed.map((r, i) => r / straight[i]);
  log(`routed / straight per round: ${ratios.map((r) => fmt(r, 2)).join(', ')}`);
  await gateway.stop();
  await stub.stop();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
