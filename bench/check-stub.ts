/**
 * An enforcement replica reduced to its HTTP surface, for bench/gateway-hop.bench.ts: it holds every
 * partition (`/health/check-index`), reads each check's body and answers the same small JSON a real check
 * answers for an unlisted subject. What it costs is node:http's own per-request work: the gateway's hop
 * is measured against it (straight vs routed), not the check's.
 *
 * Env: PORT, HOST (127.0.0.1), PARTITIONS (12).
 */
import { createServer } from 'node:http';

const partitions = Number(process.env.PARTITIONS ?? '12');
const all = Array.from({ length: partitions }, (_, p) => p);
const state = JSON.stringify({ mode: 'split', partitions, held: all, assigned: all, loaded: true });

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => {
    response.setHeader('content-type', 'application/json; charset=utf-8');
    if (request.method === 'POST' && request.url === '/v1/checks') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { subject: { id: string } };
      response.end(
        JSON.stringify({
          checkId: '00000000-0000-4000-8000-000000000000',
          decision: 'allow',
          subject: { id: body.subject.id },
          measures: [],
          reasons: [],
        }),
      );
    } else if (request.url === '/health/check-index') response.end(state);
    else if (request.url?.startsWith('/health/')) response.end('{"status":"ok"}');
    else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
}).listen(Number(process.env.PORT ?? '0'), process.env.HOST ?? '127.0.0.1');
