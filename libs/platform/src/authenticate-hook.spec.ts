import Fastify from 'fastify';
import { mintToken, Principal, TokenVerifier } from '@credit/auth';
import { authenticateBeforeBody, isPublicPath } from './authenticate-hook';

const SECRET = 'unit-test-secret-0123456789abcdef';

describe('isPublicPath', () => {
  it.each([
    '/health/live',
    '/health/ready',
    '/metrics',
    '/docs',
    '/docs/',
    '/docs-json',
    '/docs/static/x.js',
    '/public/v1/entries?q=x',
  ])('%s is public', (url) => expect(isPublicPath(url)).toBe(true));

  it.each(['/v1/checks', '/healthy', '/metrics/x', '/documents', '/publications', '/v1/public/x', '/'])(
    '%s is not',
    (url) => expect(isPublicPath(url)).toBe(false),
  );
});

describe('authenticateBeforeBody', () => {
  const verifier = new TokenVerifier({ jwtSecret: SECRET, bootstrapDept: 'CREDIT_OFFICE' });
  let bodiesParsed = 0;
  const app = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    bodiesParsed += 1;
    try {
      done(null, JSON.parse(body as string));
    } catch (err) {
      done(err as Error);
    }
  });
  authenticateBeforeBody(app, verifier);
  app.post('/v1/things', (request) => ({
    principal: (request as unknown as { principal: Principal }).principal,
  }));
  app.get('/health/live', () => ({ status: 'ok' }));

  beforeAll(() => app.ready());
  afterAll(() => app.close());

  it('answers 401 before the body is parsed', async () => {
    bodiesParsed = 0;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { 'content-type': 'application/json' },
      payload: 'not json {',
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, code: 'AUTH.TOKEN_MISSING' });
    expect(bodiesParsed).toBe(0);
  });

  it('answers a refused token with its code', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: {
        authorization: `Bearer ${await mintToken({ sub: 'x', dept: 'NOBODY', roles: ['admin'] }, SECRET)}`,
      },
      payload: {},
    });
    expect(res.json()).toMatchObject({ status: 401, code: 'AUTH.UNKNOWN_DEPARTMENT' });
  });

  it('leaves the principal on the request for the route, first verified then remembered', async () => {
    const token = await mintToken({ sub: 'x', dept: 'CREDIT_OFFICE', roles: ['admin'] }, SECRET);
    for (let i = 0; i < 2; i += 1) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/things',
        headers: { authorization: `Bearer ${token}` },
        payload: {},
      });
      expect(res.json()).toEqual({ principal: { sub: 'x', dept: 'CREDIT_OFFICE', roles: ['admin'] } });
    }
  });

  it('lets a public path through without a token', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});
