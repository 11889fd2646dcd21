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
