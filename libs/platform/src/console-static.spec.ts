import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { TokenVerifier } from '@credit/auth';
import { authenticateBeforeBody } from './authenticate-hook';
import { isApiPath, registerConsole } from './console-static';

describe('isApiPath', () => {
  it.each([
    '/v1',
    '/v1/x',
    '/public/v1/entries',
    '/docs',
    '/docs-json',
    '/health/ready',
    '/metrics',
    '/dev/v1/token',
    '/v1?x=1',
  ])('%s belongs to the API', (url) => expect(isApiPath(url)).toBe(true));
  it.each(['/', '/initiator/entries', '/assets/index.js', '/v1x', '/publications', '/healthy', '/documents'])(
    '%s is the console’s',
    (url) => expect(isApiPath(url)).toBe(false),
  );
});

describe('registerConsole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>控制台</title>');
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'config.json'), '{"oidc":null}');
  const app = Fastify();

  beforeAll(async () => {
    authenticateBeforeBody(app, new TokenVerifier({ jwtSecret: 'unit-test-secret-0123456789abcdef' }));
    app.get('/v1/things', async () => ({ ok: true }));
    await registerConsole(app, dir);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and at any page of the application, without a token', async () => {
    for (const url of ['/', '/supervisor/dashboard', '/initiator/entries?status=draft']) {
      const res = await app.inject({ url });
      expect({ url, status: res.statusCode, type: res.headers['content-type'] }).toEqual({
        url,
        status: 200,
        type: 'text/html; charset=utf-8',
      });
      expect(res.body).toContain('控制台');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves the built files, hashed assets cached for a year', async () => {
    const asset = await app.inject({ url: '/assets/app-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const config = await app.inject({ url: '/config.json' });
    expect(config.json()).toEqual({ oidc: null });
  });

  it('answers a missing asset and a path outside the folder with 404, never with a file', async () => {
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    const escape = await app.inject({ url: '/%2e%2e/%2e%2e/etc/passwd' });
    expect(escape.body).not.toContain('root:');
  });

  it('leaves the API its own answers: 401 without a token on a /v1 route, 404 on an unknown path', async () => {
    for (const url of ['/v1/things', '/v1/unknown', '/dev/v1/unknown-without-route']) {
      const res = await app.inject({ url });
      if (url === '/v1/unknown') {
        // an unknown path is 404 with or without a token (decision 0029), never the console's page
        expect({ url, status: res.statusCode, code: res.json().code }).toEqual({
          url,
          status: 404,
          code: 'HTTP.NOT_FOUND',
        });
      } else if (url.startsWith('/dev/')) {
        // public (the sign-in), but no such route: the API's 404, not the console
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toContain('application/problem+json');
      } else {
        expect({ url, status: res.statusCode, code: res.json().code }).toEqual({
          url,
          status: 401,
          code: 'AUTH.TOKEN_MISSING',
        });
      }
    }
  });
});
