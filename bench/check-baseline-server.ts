/**
 * The check benchmark's baseline: a bare Fastify server in its own process with one POST route that
 * parses the JSON body and answers a constant JSON document of the check's shape.
 */
import Fastify from 'fastify';

const ANSWER = {
  checkId: '00000000-0000-4000-8000-000000000000',
  subject: { id: '91330106C00000000X' },
  action: 'government_procurement_bid',
  decision: 'allow',
  reasons: [],
  checkedAt: '2026-11-23T12:00:00.000Z',
};

const app = Fastify({ logger: false });
app.post('/v1/checks', async () => ANSWER);
app.get('/health/ready', async () => ({ status: 'ok' }));
app.listen({ port: Number(process.env.PORT ?? 3690), host: process.env.HOST ?? '127.0.0.1' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
