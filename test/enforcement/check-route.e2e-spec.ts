import { api, startPlatform, TestPlatform } from '../support/services';

/**
 * `POST /v1/checks` is served by Fastify directly (outside Nest's pipeline): it must still refuse and
 * answer exactly as every other route does — token, roles, body rules, problem details, correlation id.
 */
describe('the check route outside the Nest pipeline', () => {
  let platform: TestPlatform;
  const t: Record<string, string> = {};
  const url = () => `${platform.url.enforcement}/v1/checks`;
  const body = { subject: { id: '91330106MA27XQ5R3Y' }, action: 'government_procurement_bid' };

  beforeAll(async () => {
    platform = await startPlatform();
    t.system = await platform.token('FINANCE', ['system']);
    t.initiator = await platform.token('COURT', ['initiator']);
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('refuses a missing or bad token (401) and a role that may not check (403) as problem details', async () => {
    const missing = await api('POST', url(), { body });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ status: 401, code: 'AUTH.TOKEN_MISSING', instance: '/v1/checks' });
    expect(missing.body.correlationId).toBe(missing.headers.get('x-correlation-id'));
    const bad = await api('POST', url(), { token: `${t.system}x`, body });
    expect(bad.body).toMatchObject({ status: 401, code: 'AUTH.TOKEN_INVALID' });
    const role = await api('POST', url(), { token: t.initiator, body });
    expect(role.status).toBe(403);
    expect(role.body).toMatchObject({ code: 'AUTH.ROLE_FORBIDDEN' });
  });

  it('reports every bad field of the body (400) the way the validation pipe does', async () => {
    const r = await api<{ code: string; errors: { field: string; code: string }[] }>('POST', url(), {
      token: t.system,
      body: { subject: { id: '', extra: 1 }, action: 'Bad Action', stage: 'never', more: true },
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION.FAILED');
    expect(r.body.errors.map((e) => e.field).sort()).toEqual(
      ['action', 'more', 'stage', 'subject.extra', 'subject.id'].sort(),
    );
  });

  it('answers with the whole decision document', async () => {
    const r = await api('POST', url(), { token: t.system, body: { ...body, stage: 'approval' } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      checkId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      subject: { id: body.subject.id },
      action: body.action,
      stage: 'approval',
      decision: 'allow',
      reasons: [],
      checkedAt: expect.any(String),
    });
  });

  it('answers a token it has seen and a subject in memory at once, with the same document', async () => {
    // the first check verified the token; this one is answered without a promise (check.route.ts)
    const first = await api('POST', url(), { token: t.system, body });
    const again = await api('POST', url(), { token: t.system, body });
    for (const r of [first, again]) {
      expect(r.status).toBe(200);
      expect(r.headers.get('x-correlation-id')).toEqual(expect.any(String));
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
    const send = (target: string) =>
      fetch(target, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.system}`, 'content-type': 'application/json' },
        body: '{"subject": {',
      });
    for (const target of [url(), `${platform.url.enforcement}/v1/checks/batch`]) {
      const r = await send(target);
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(await r.json()).toMatchObject({ status: 400, code: 'INPUT.MALFORMED_JSON' });
    }
  });

  it('is in the OpenAPI document with the schemas it is validated and serialized with', async () => {
    const r = await fetch(`${platform.url.enforcement}/docs-json`);
    type Content = {
      content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }>;
    };
    const doc = (await r.json()) as {
      paths: Record<string, Record<string, { requestBody: Content; responses: Record<string, Content> }>>;
    };
    const op = doc.paths['/v1/checks'].post;
    const body = op.requestBody.content['application/json'].schema;
    expect(body).toMatchObject({
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
