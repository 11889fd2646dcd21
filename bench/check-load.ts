/**
 * The check benchmark's load generator, in its own process: `connections` closed-loop keep-alive
 * connections (node:http, no dependency), each sending the next request as soon as the previous answer
 * arrived; a warm-up that is not counted, then a measured window. Prints one JSON line (LoadResult).
 *
 * Options come as JSON in LOAD_OPTIONS (see runLoad in bench/check-support.ts).
 */
import http from 'node:http';
import { ACTIONS, isListed, LoadResult, subjectId, SUBJECTS, uscc } from './check-support';

interface Options {
  url: string;
  path: string;
  token?: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** a fixed population instead of the 1M: drawn uniformly; the first `listed` of them have measures */
  subjects?: string[];
  listed?: number;
  /** one action for every check instead of a random one */
  action?: string;
  /**
   * The scale bench's population (bench/scale-generate.ts): `listedShare` of checks name one of the
   * `listed` subjects (uscc(n, 'C')), the others one of `unlisted` subjects on no list (uscc(n, 'D')).
   */
  scale?: { listed: number; unlisted: number; listedShare: number };
}

const options = JSON.parse(process.env.LOAD_OPTIONS ?? '{}') as Options;
const target = new URL(options.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (options.token) headers.authorization = `Bearer ${options.token}`;

let lastListed = false;
function nextBody(): string {
  if (options.scale) {
    const { listed, unlisted, listedShare } = options.scale;
    lastListed = Math.random() < listedShare;
    const id = lastListed
      ? uscc(Math.floor(Math.random() * listed), 'C')
      : uscc(Math.floor(Math.random() * unlisted), 'D');
    return JSON.stringify({ subject: { id }, action: options.action ?? ACTIONS[0] });
  }
  if (options.subjects) {
    const i = Math.floor(Math.random() * options.subjects.length);
    lastListed = i < (options.listed ?? 0);
    return JSON.stringify({ subject: { id: options.subjects[i] }, action: options.action ?? ACTIONS[0] });
  }
  const n = Math.floor(Math.random() * SUBJECTS);
  lastListed = isListed(n);
  const action = ACTIONS[Math.floor(Math.random() * ACTIONS.length)];
  return JSON.stringify({ subject: { id: subjectId(n) }, action });
}

function send(body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: options.path,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const decisions: Record<string, number> = {};
  let errors = 0;
  let withMeasures = 0;
  let measuring = false;
  let stop = false;
  let measuredFrom = 0;
  let measuredTo = 0;
  let sent = 0;

  const worker = async () => {
    while (!stop) {
      // the same work in both arms: a random subject, the answer's decision read (the bare route ignores both)
      const body = nextBody();
      const listed = lastListed;
      const started = performance.now();
      let status = 0;
      let text = '';
      try {
        ({ status, text } = await send(body));
      } catch {
        status = 0;
      }
      const ms = performance.now() - started;
      sent += 1;
      if (!measuring || stop) continue;
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (listed) withMeasures += 1;
      if (status !== 200) errors += 1;
      else {
        const decision = /"decision":"([a-z]+)"/.exec(text)?.[1] ?? '?';
        decisions[decision] = (decisions[decision] ?? 0) + 1;
      }
    }
  };

  const workers = Array.from({ length: options.connections }, () => worker());
  await new Promise((r) => setTimeout(r, options.warmupSeconds * 1000));
  measuring = true;
  measuredFrom = performance.now();
  await new Promise((r) => setTimeout(r, options.seconds * 1000));
  stop = true;
  measuredTo = performance.now();
  await Promise.all(workers);
  agent.destroy();

  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
  const seconds = (measuredTo - measuredFrom) / 1000;
  const result: LoadResult = {
    connections: options.connections,
    seconds,
    requests: sorted.length,
    errors,
    statuses,
    rps: sorted.length / seconds,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
    decisions,
    withMeasures,
    sent,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
