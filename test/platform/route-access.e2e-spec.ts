import { api, startPlatform, TestPlatform } from '../support/services';

type OpenApi = { paths: Record<string, Record<string, unknown>> };

/**
 * Every route checks its caller: read each service's OpenAPI document and call every operation without a
 * token (401) — then the routes whose role rules no other test exercises, with a role they refuse (403).
 */
describe('route access', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('refuses every documented operation of every service without a bearer token', async () => {
    let operations = 0;
    for (const url of Object.values(platform.url)) {
      const doc = (await api<OpenApi>('GET', `${url}/docs-json`)).body;
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const method of Object.keys(methods)) {
          const concrete = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
          const res = await api<{ code: string }>(method.toUpperCase(), `${url}${concrete}`, {
            body: ['post', 'put'].includes(method) ? {} : undefined,
          });
          expect({ route: `${method} ${path}`, status: res.status, code: res.body.code }).toEqual({
            route: `${method} ${path}`,
            status: 401,
            code: 'AUTH.TOKEN_MISSING',
          });
          operations += 1;
        }
      }
    }
    expect(operations).toBeGreaterThan(50);
  });

  it.each([
    ['trigger', 'PUT', '/v1/measures/X1', 'initiator'],
    ['trigger', 'POST', '/v1/measures/X1/retire', 'supervisor'],
    ['trigger', 'POST', '/v1/memoranda/M1/measures', 'implementer'],
    ['trigger', 'GET', '/v1/rescreen-jobs', 'implementer'],
    ['trigger', 'PUT', '/v1/subscriptions/X1', 'supervisor'],
    ['trigger', 'GET', '/v1/assignments', 'implementer'],
    ['registry', 'GET', '/v1/subjects/91330106MA2H7QK45E', 'implementer'],
    ['registry', 'GET', '/v1/repair-applications', 'implementer'],
    ['registry', 'GET', '/v1/objections', 'system'],
    ['registry', 'POST', '/v1/list-types', 'supervisor'],
    ['enforcement', 'PUT', '/v1/watch-list/91330106MA2H7QK45E', 'supervisor'],
    ['enforcement', 'POST', '/v1/checks/batch', 'initiator'],
    ['enforcement', 'GET', '/v1/check-log', 'implementer'],
    ['enforcement', 'GET', '/v1/stream', 'supervisor'],
    ['enforcement', 'GET', '/v1/access-log', 'implementer'],
    ['enforcement', 'GET', '/v1/me/access-log', 'supervisor'],
    ['tracking', 'GET', '/v1/overdue', 'initiator'],
    ['tracking', 'GET', '/v1/stats/daily', 'implementer'],
  ] as const)('%s %s %s refuses the %s role (403)', async (service, method, path, role) => {
    const token = await platform.token('SOME_DEPT', [role]);
    const res = await api<{ code: string }>(method, `${platform.url[service]}${path}`, {
      token,
      body: ['POST', 'PUT'].includes(method) ? {} : undefined,
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('AUTH.ROLE_FORBIDDEN');
  });
});
