import { MediumPlatform, startMedium } from '../../../../test/support/medium';

type Problem = {
  status: number;
  code: string;
  instance?: string;
  correlationId?: string;
  errors: { field: string; code: string }[];
};

/**
 * `POST /v1/checks` is served by Fastify directly (outside Nest's pipeline, check.route.ts): it must still
 * refuse and answer exactly as every other route does — token, roles, body rules, problem details,
 * correlation id, the OpenAPI document. Enforcement alone, never bound to a port.
 */
/** The whole decision document of an allowed check at the approval stage. */
const allowedAtApproval = (body: { subject: { id: string }; action: string }) => ({
  checkId: expect.stringMatching(/^[0-9a-f-]{36}$/),
  subject: { id: body.subject.id },
  action: body.action,
  stage: 'approval',
  decision: 'allow',
  reasons: [],
  checkedAt: expect.any(String),
});

describe('the check route outside the Nest pipeline', () => {
  let platform: MediumPlatform;
  const t: Record<string, string> = {};
  const body = { subject: { id: '91330106MA27XQ5R3Y' }, action: 'government_procurement_bid' };
  const check = (token: string | undefined, payload: unknown = body) =>
    platform.api<Problem & Record<string, unknown>>('POST', '/v1/checks', { token, body: payload });

  beforeAll(async () => {
    platform = await startMedium({ services: ['enforcement'] });
    t.system = await platform.token('FINANCE', ['system']);
    t.initiator = await platform.token('COURT', ['initiator']);
  });
  afterAll(() => platform?.close());

  it('refuses a missing or bad token (401) and a role that may not check (403) as problem details', async () => {
    const missing = await check(undefined);
    expect(missing.status).toBe(401);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ status: 401, code: 'AUTH.TOKEN_MISSING', instance: '/v1/checks' });
    expect(missing.body.correlationId).toBe(missing.headers['x-correlation-id']);
    expect((await check(`${t.system}x`)).body).toMatchObject({ status: 401, code: 'AUTH.TOKEN_INVALID' });
    const role = await check(t.initiator);
    expect(role.status).toBe(403);
    expect(role.body).toMatchObject({ code: 'AUTH.ROLE_FORBIDDEN' });
  });

  it('reports every bad field of the body (400) the way the validation pipe does', async () => {
    const r = await check(t.system, {
      subject: { id: '', extra: 1 },
      action: 'Bad Action',
      stage: 'never',
      more: true,
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION.FAILED');
    expect(r.body.errors.map((e) => e.field).sort()).toEqual(
      ['action', 'more', 'stage', 'subject.extra', 'subject.id'].sort(),
    );
  });

  it('answers with the whole decision document', async () => {
    const r = await check(t.system, { ...body, stage: 'approval' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual(allowedAtApproval(body));
  });

  it('answers a token it has seen and a subject in memory at once, with the same document', async () => {
    // the first check verified the token; this one is answered without a promise (check.route.ts)
    const first = await check(t.system);
    const again = await check(t.system);
    for (const r of [first, again]) {
      expect(r.status).toBe(200);
      expect(r.headers['x-correlation-id']).toEqual(expect.any(String));
      expect(r.body).toEqual({
        checkId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        subject: { id: body.subject.id },
        action: body.action,
        decision: 'allow',
        reasons: [],
        checkedAt: expect.any(String),
      });
    }
    expect(again.body.checkId).not.toBe(first.body.checkId);
  });

  it('refuses a body that is not JSON (400) as problem details, as any other route does', async () => {
    for (const path of ['/v1/checks', '/v1/checks/batch']) {
      const r = await platform.api<Problem>('POST', path, {
        token: t.system,
        raw: { contentType: 'application/json', payload: Buffer.from('{"subject": {') },
      });
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.body).toMatchObject({ status: 400, code: 'INPUT.MALFORMED_JSON' });
    }
  });

  it('is in the OpenAPI document with the schemas it is validated and serialized with', async () => {
    type Content = {
      content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }>;
    };
    const doc = (
      await platform.api<{
        paths: Record<string, Record<string, { requestBody: Content; responses: Record<string, Content> }>>;
      }>('GET', '/docs-json')
    ).body;
    const op = doc.paths['/v1/checks'].post;
    expect(op.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['subject', 'action'],
      properties: {
        action: { pattern: '^[a-z0-9_]{2,64}$' },
        stage: { enum: ['acceptance', 'approval', 'completion'] },
      },
    });
    expect(op.responses['200'].content['application/json'].schema.properties.decision.enum).toEqual([
      'block',
      'warn',
      'priority',
      'allow',
    ]);
    // the other check routes are still the controller's
    expect(doc.paths['/v1/checks/batch'].post).toBeDefined();
  });
});

/**
 * Over a socket, a plain check is answered on the HTTP server before Fastify (decision 0069): the same
 * document, headers and check log as the route's; every other request — a token not seen before, a body
 * the route refuses, another media type — answered by the route itself, as `fastify.inject` gets it.
 */
describe('the check answered before Fastify', () => {
  let platform: MediumPlatform;
  let url: string;
  const t: Record<string, string> = {};
  const body = { subject: { id: '91330106MA27XQ5R3Y' }, action: 'government_procurement_bid' };
  const post = async (token: string | undefined, payload: string, headers: Record<string, string> = {}) => {
    const r = await fetch(`${url}/v1/checks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: payload,
    });
    return {
      status: r.status,
      headers: r.headers,
      body: (await r.json()) as Problem & Record<string, unknown>,
    };
  };

  beforeAll(async () => {
    platform = await startMedium({ services: ['enforcement'] });
    t.system = await platform.token('FINANCE', ['system']);
    t.initiator = await platform.token('COURT', ['initiator']);
    await platform.app.listen(0, '127.0.0.1');
    url = await platform.app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
    // the token verified once (through the route): from now on its checks are plain ones
    expect((await post(t.system, JSON.stringify(body))).status).toBe(200);
  });
  afterAll(() => platform?.close());

  it('answers the decision document, with the caller’s correlation id, and logs the check', async () => {
    const r = await post(t.system, JSON.stringify({ ...body, stage: 'approval' }), {
      'x-correlation-id': 'corr-early-1',
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.headers.get('x-correlation-id')).toBe('corr-early-1');
    expect(r.body).toEqual(allowedAtApproval(body));
    // the same bytes as the route's compiled serializer writes, but for the check's own id and time
    const injected = await platform.api<{ checkId: string; checkedAt: string }>('POST', '/v1/checks', {
      token: t.system,
      body: { ...body, stage: 'approval' },
    });
    const same = (text: string, id: string, at: string) => text.replace(id, 'ID').replace(at, 'AT');
    expect(same(JSON.stringify(r.body), r.body.checkId as string, r.body.checkedAt as string)).toBe(
      same(injected.payload.toString('utf8'), injected.body.checkId, injected.body.checkedAt),
    );
    // a correlation id of its own when the caller sends none
    const own = await post(t.system, JSON.stringify(body));
    expect(own.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((done) => setTimeout(done, 200)); // the check log's flush (every 50 ms)
    const rows = await platform.sql<{ dept: string; action: string; stage: string; decision: string }>(
      `SELECT dept, action, stage, decision FROM enforcement.checks WHERE id = $1`,
      [r.body.checkId],
    );
    expect(rows).toEqual([{ dept: 'FINANCE', action: body.action, stage: 'approval', decision: 'allow' }]);
  });

  it('leaves every refusal to the route: the same problem details as an injected request', async () => {
    const cases: {
      token?: string;
      payload: string;
      headers?: Record<string, string>;
      status: number;
      code: string;
    }[] = [
      { token: undefined, payload: JSON.stringify(body), status: 401, code: 'AUTH.TOKEN_MISSING' },
      { token: `${t.system}x`, payload: JSON.stringify(body), status: 401, code: 'AUTH.TOKEN_INVALID' },
      { token: t.initiator, payload: JSON.stringify(body), status: 403, code: 'AUTH.ROLE_FORBIDDEN' },
      { token: t.system, payload: '{"subject": {', status: 400, code: 'INPUT.MALFORMED_JSON' },
      {
        token: t.system,
        payload: JSON.stringify({ ...body, action: 'Bad Action' }),
        status: 400,
        code: 'VALIDATION.FAILED',
      },
      {
        token: t.system,
        payload: JSON.stringify({ ...body, subject: { id: 'a\u0007b' } }),
        status: 400,
        code: 'INPUT.CONTROL_CHARACTER',
      },
      {
        token: t.system,
        payload: JSON.stringify(body),
        headers: { 'content-type': 'text/plain' }, // taken as text by the route, refused as a body
        status: 400,
        code: 'VALIDATION.FAILED',
      },
    ];
    for (const c of cases) {
      const r = await post(c.token, c.payload, c.headers);
      expect({ code: r.body.code, status: r.status }).toEqual({ code: c.code, status: c.status });
      const injected = await platform.api<Problem>('POST', '/v1/checks', {
        token: c.token,
        raw: {
          contentType: c.headers?.['content-type'] ?? 'application/json',
          payload: Buffer.from(c.payload),
        },
      });
      expect({ status: r.status, code: r.body.code, errors: r.body.errors }).toEqual({
        status: injected.status,
        code: injected.body.code,
        errors: injected.body.errors,
      });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.instance).toBe('/v1/checks');
      expect(r.body.correlationId).toBe(r.headers.get('x-correlation-id'));
    }
    const bad = await post(t.system, JSON.stringify({ ...body, action: 'Bad Action', more: 1 }));
    const injected = await platform.api<Problem>('POST', '/v1/checks', {
      token: t.system,
      body: { ...body, action: 'Bad Action', more: 1 },
    });
    expect(bad.body.errors).toEqual(injected.body.errors);
  });
});
