import { Controller, Get, Module } from '@nestjs/common';
import pino from 'pino';
import { mintToken, Public, Roles } from '@credit/auth';
import { createHttpApp } from '../http-app';
import { PlatformModule } from '../platform.module';
import { Quota } from './quota.interceptor';

@Controller()
class SampleController {
  @Get('public/v1/sample')
  @Public()
  @Quota('public')
  publicRoute() {
    return { ok: true };
  }

  @Get('v1/sample')
  @Roles('supervisor')
  @Quota('lookups')
  lookup() {
    return { ok: true };
  }

  @Get('v1/free')
  @Roles('supervisor')
  free() {
    return { ok: true };
  }
}

const SECRET = 'quota-interceptor-secret-0123456789';

@Module({
  imports: [
    PlatformModule.forRoot({
      logger: pino({ level: 'silent' }),
      auth: { jwtSecret: SECRET },
      quotas: {
        options: {
          windowMs: 60_000,
          syncMs: 1_000,
          keyPrefix: 'spec:',
          limits: { checks: {}, lookups: { perToken: 1 }, exports: {}, public: { perClient: 2 } },
        },
      },
    }),
  ],
  controllers: [SampleController],
})
class SampleModule {}

describe('@Quota on a route', () => {
  it('counts a public route per client address and a route with a token per token; others not at all', async () => {
    const app = await createHttpApp(SampleModule, {
      title: 't',
      logger: pino({ level: 'silent' }),
      shutdownHooks: false,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    try {
      const fastify = app.getHttpAdapter().getInstance();
      const get = (url: string, token?: string) =>
        fastify.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect((await get('/public/v1/sample')).statusCode).toBe(200);
      expect((await get('/public/v1/sample')).statusCode).toBe(200);
      const refused = await get('/public/v1/sample');
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.json()).toMatchObject({ code: 'QUOTA.EXCEEDED', quota: 'public', scope: 'client' });

      const token = await mintToken({ sub: 's', dept: 'CREDIT_OFFICE', roles: ['supervisor'] }, SECRET);
      expect((await get('/v1/sample', token)).statusCode).toBe(200);
      expect((await get('/v1/sample', token)).json()).toMatchObject({
        code: 'QUOTA.EXCEEDED',
        scope: 'token',
      });
      // no token: 401 before any quota
      expect((await get('/v1/sample')).statusCode).toBe(401);
      for (let i = 0; i < 5; i += 1) expect((await get('/v1/free', token)).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
  it.each([
    [
      'TRUST_PROXY unset: X-Forwarded-For is not believed, one peer is one client',
      undefined,
      [200, 200, 429, 429],
    ],
    [
      'TRUST_PROXY=127.0.0.1: the proxy’s X-Forwarded-For names the client',
      ['127.0.0.1'],
      [200, 200, 200, 200],
    ],
  ] as const)('%s', async (_what, trustProxy, statuses) => {
    const app = await createHttpApp(SampleModule, {
      title: 't',
      logger: pino({ level: 'silent' }),
      shutdownHooks: false,
      trustProxy: trustProxy && [...trustProxy],
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    try {
      const fastify = app.getHttpAdapter().getInstance();
      const get = (client: string) =>
        fastify.inject({
          method: 'GET',
          url: '/public/v1/sample',
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': client },
        });
      const seen = [];
      for (const client of ['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.2'])
        seen.push((await get(client)).statusCode);
      expect(seen).toEqual(statuses);
    } finally {
      await app.close();
    }
  });
});
