import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { listTypeBody, Problem, seedRegistry, Tokens } from '../../../../test/support/medium-registry';

describe('list types: the bands and owners a department may declare', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;

  beforeAll(async () => {
    platform = await startMedium({ services: ['registry'] });
    tokens = await seedRegistry(platform);
  });
  afterAll(() => platform?.close());

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
});
