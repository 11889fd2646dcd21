import { connect } from 'node:net';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { asyncApiDocument } from '@credit/contracts';
import { createHttpApp } from './http-app';
import { PlatformModule } from './platform.module';

/** An app with the platform module only (its auth, quotas, docs routes) and no feature of its own. */
function probeApp(quotaKeyPrefix: string): Promise<NestFastifyApplication> {
  const logger = pino({ level: 'silent' });
  return createHttpApp(
    {
      module: class ProbeModule {},
      imports: [
        PlatformModule.forRoot({
          logger,
          auth: { jwtSecret: 'unit-secret-0123456789abcdef' },
          quotas: {
            options: {
              windowMs: 60_000,
              syncMs: 1_000,
              keyPrefix: quotaKeyPrefix,
              limits: { checks: {}, lookups: {}, exports: {}, public: {} },
            },
          },
        }),
      ],
    },
    { title: 'probe', logger, shutdownHooks: false },
  );
}

describe('closing the HTTP app', () => {
  it('does not wait for a connection that never sent a request', async () => {
    const app = await probeApp('spec-close:');
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    // a client that connects and says nothing (a probe, a pre-opened keep-alive socket)
    const silent = connect(port, '127.0.0.1');
    await new Promise((resolve) => silent.once('connect', resolve));
    const closedByServer = new Promise((resolve) => silent.once('close', resolve));

    const started = Date.now();
    await app.close();

    // without the cut, close() waited for the headers timeout (a minute) and a stop hung
    expect(Date.now() - started).toBeLessThan(10_000);
    await closedByServer;
  }, 30_000);
});

describe('GET /docs/events', () => {
  it('serves the AsyncAPI document of the topics without a token', async () => {
    const app = await probeApp('spec-event-docs:');
    try {
      await app.init();
      const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs/events' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual(asyncApiDocument());
      // the OpenAPI document, built on its first request (not at start), beside it
      const openApi = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
      expect(openApi.statusCode).toBe(200);
      expect(openApi.json()).toMatchObject({ openapi: expect.any(String), info: { title: 'probe' } });
    } finally {
      await app.close();
    }
  }, 30_000);
});
