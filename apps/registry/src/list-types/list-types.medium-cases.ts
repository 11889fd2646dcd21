import { MediumPlatform } from '../../../../test/support/medium';
import { listTypeBody, Problem, seededRegistry, Tokens } from '../../../../test/support/medium-registry';

describe('list types: the bands and owners a department may declare', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;

  seededRegistry((started, seeded) => void ([platform, tokens] = [started, seeded]));

  const declare = (body: Record<string, unknown>, token = tokens.admin) =>
    platform.api<Problem>('POST', '/v1/list-types', { token, body });

  it('refuses a default period outside the severity band, naming the field', async () => {
    const res = await declare({ ...listTypeBody('TOO_LONG', 'COURT', 'minor', 200, 5) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('LIST_ENTRY.PERIOD_OUTSIDE_SEVERITY_BAND');
    expect(res.body.errors?.[0].field).toBe('defaultPeriodDays');
  });

  it('refuses an objection period over 20 working days and an unknown owner', async () => {
    const tooLong = await declare({
      ...listTypeBody('X2', 'COURT', 'general', 365, 5),
      objectionWorkingDays: 21,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors?.map((e) => e.field)).toContain('objectionWorkingDays');
    const unknown = await declare(listTypeBody('X3', 'NOBODY', 'general', 365, 5));
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('DEPARTMENT.NOT_FOUND');
  });

  it('lets only an admin declare one, and lists what was declared', async () => {
    expect((await declare(listTypeBody('BY_COURT', 'COURT', 'general', 365, 5), tokens.court)).status).toBe(
      403,
    );
    const listed = await platform.api<{ items?: { code: string }[] } | { code: string }[]>(
      'GET',
      '/v1/list-types',
      {
        token: tokens.court,
      },
    );
    expect(listed.status).toBe(200);
    const items = Array.isArray(listed.body) ? listed.body : (listed.body.items ?? []);
    expect(items.map((t) => t.code)).toEqual(
      expect.arrayContaining(['COURT_DEFAULTER', 'TAX_MAJOR', 'LATE_FILING']),
    );
    expect(items.map((t) => t.code)).not.toContain('BY_COURT');
  });

  it('refuses a code already declared (409) and keeps the definition as it was', async () => {
    const path = '/v1/list-types/COURT_DEFAULTER';
    const before = await platform.api<Record<string, unknown>>('GET', path, { token: tokens.admin });
    const again = await declare({ ...listTypeBody('COURT_DEFAULTER', 'COURT', 'general', 365, 5) });
    expect([again.status, again.body.code]).toEqual([409, 'LIST_TYPE.ALREADY_EXISTS']);
    expect((await platform.api('GET', path, { token: tokens.admin })).body).toEqual(before.body);
  });

  it("changes a list type's terms (PUT), its colour and owner staying what they were", async () => {
    expect(
      (await declare({ ...listTypeBody('CHANGE_L1', 'COURT', 'general', 365, 5), infoClass: 'B' })).status,
    ).toBe(201);
    const path = '/v1/list-types/CHANGE_L1';
    const before = await platform.api<Record<string, unknown>>('GET', path, { token: tokens.admin });
    const { code: _code, createdAt: _at, repair: _repair, extension: _ext, ...terms } = before.body;
    void [_code, _at, _repair, _ext];
    const body = {
      ...Object.fromEntries(Object.entries(terms).filter(([, v]) => v !== null)),
      name: '改名后的名单',
      severity: 'serious',
      defaultPeriodDays: 730,
      minStatementWorkingDays: 5,
      openEndedAllowed: true,
      extension: { minDays: 365, maxDays: 1095, maxTimes: 1 },
      excludedSubjects: ['minors'],
      infoClass: 'A',
    };
    const put = (over: Record<string, unknown> = {}, token = tokens.admin, to = path) =>
      platform.api<Problem & Record<string, unknown>>('PUT', to, { token, body: { ...body, ...over } });
    const changed = await put();
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      code: 'CHANGE_L1',
      name: '改名后的名单',
      severity: 'serious',
      defaultPeriodDays: 730,
      openEndedAllowed: true,
      extension: { minDays: 365, maxDays: 1095, maxTimes: 1 },
      excludedSubjects: ['minors'],
      infoClass: 'A',
      createdAt: before.body.createdAt,
    });
    expect((await platform.api('GET', path, { token: tokens.admin })).body).toEqual(changed.body);
    const recoloured = await put({ colour: 'red' });
    expect([recoloured.status, recoloured.body.code, recoloured.body.errors?.[0]?.field]).toEqual([
      422,
      'LIST_TYPE.COLOUR_FIXED',
      'colour',
    ]);
    const moved = await put({ ownerDept: 'TAX' });
    expect([moved.status, moved.body.code]).toEqual([422, 'LIST_TYPE.OWNER_FIXED']);
    expect((await put({ severity: 'minor', defaultPeriodDays: 730 })).status).toBe(422);
    expect((await put({}, tokens.admin, '/v1/list-types/NO_SUCH')).status).toBe(404);
    expect((await put({}, tokens.court)).status).toBe(403);
  });
});
