import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { DECISION, uscc } from '../registry/registry-fixtures';
import { api, startPlatform, TestPlatform } from '../support/services';

type Page = { items: { code: string }[]; nextCursor: string | null };

/**
 * The admin lists page by code with `?cursor=&limit=` (the console's 加载更多); without either they answer
 * every row as before. The supervisor reads the 公示 feed newest first, with the withdrawals' reasons.
 */
describe('admin lists: cursor paging by code, and the supervisor read of the publication feed', () => {
  let platform: TestPlatform;
  let admin: string;
  let supervisor: string;
  let court: string;

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await platform.token('CREDIT_OFFICE', ['admin']);
    supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    await seedCatalog(platform, admin, {
      measures: [measureBody('PAGE-M1', 'COURT'), measureBody('PAGE-M2', 'COURT')],
    });
    court = await platform.token('COURT', ['initiator']);
    for (const code of ['PAGE_A', 'PAGE_B', 'PAGE_C'])
      expect(
        (
          await api('POST', `${platform.url.registry}/v1/departments`, {
            token: admin,
            body: { code, name: code, region: '330100' },
          })
        ).status,
      ).toBe(201);
    for (const code of ['PAGE_L1', 'PAGE_L2'])
      expect(
        (
          await api('POST', `${platform.url.registry}/v1/list-types`, {
            token: admin,
            body: {
              code,
              name: code,
              colour: 'black',
              ownerDept: 'COURT',
              legalBasis: '《中华人民共和国民事诉讼法》',
              infoClass: 'B',
              severity: 'general',
              defaultPeriodDays: 365,
              subjectKinds: ['legal_person'],
              noticeWorkingDays: 5,
              suspendOnObjection: false,
            },
          })
        ).status,
      ).toBe(201);
    for (const code of ['MOU-PAGE-1', 'MOU-PAGE-2'])
      expect(
        (
          await api('POST', `${platform.url.trigger}/v1/memoranda`, {
            token: admin,
            body: {
              code,
              title: code,
              documentNo: 'd',
              listTypes: ['COURT_DEFAULTER'],
              measures: [measureBody(`${code}-X`, 'COURT'), measureBody(`${code}-Y`, 'COURT')],
            },
          })
        ).status,
      ).toBe(201);
    for (const body of ['PG0T0001', 'PG0T0002', 'PG0T0003'])
      expect(
        (
          await api('POST', `${platform.url.registry}/v1/identifier-allow-list`, {
            token: admin,
            body: { code: uscc(body).slice(0, 17) + 'Y', note: 'pilot' },
          })
        ).status,
      ).toBe(201);
  }, 120_000);

  afterAll(() => platform?.close());

  const routes = (): [string, string][] => [
    ['departments', `${platform.url.registry}/v1/departments`],
    ['list types', `${platform.url.registry}/v1/list-types`],
    ['memoranda', `${platform.url.trigger}/v1/memoranda`],
    ['measures', `${platform.url.trigger}/v1/measures`],
    ['allow-list', `${platform.url.registry}/v1/identifier-allow-list`],
  ];

  it('pages every admin list by code, the pages together being the whole list', async () => {
    for (const [name, url] of routes()) {
      const whole = await api<Page>('GET', url, { token: admin });
      expect({ name, status: whole.status, nextCursor: whole.body.nextCursor }).toEqual({
        name,
        status: 200,
        nextCursor: null,
      });
      expect(whole.body.items.length).toBeGreaterThanOrEqual(3);
      const paged: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: Page } = await api<Page>(
          'GET',
          `${url}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { token: admin },
        );
        expect(page.status).toBe(200);
        paged.push(...page.body.items.map((i) => i.code));
        sizes.push(page.body.items.length);
        cursor = page.body.nextCursor;
      } while (cursor && sizes.length < 50);
      expect({ name, paged }).toEqual({ name, paged: whole.body.items.map((i) => i.code) });
      expect(sizes.slice(0, -1).every((s) => s === 2)).toBe(true);
    }
  });

  it('refuses a cursor that is not one with a 400 naming it', async () => {
    const res = await api<{ errors: { field: string }[] }>(
      'GET',
      `${platform.url.registry}/v1/departments?cursor=not-a-cursor`,
      { token: admin },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('cursor');
  });

  it('shows the supervisor publications and withdrawals, newest first, with the reason', async () => {
    const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: court,
      body: {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: uscc('FEED0001'), name: '公示动态测试公司' },
        decision: DECISION,
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    for (const step of ['notice', 'publish'])
      expect(
        (await api('POST', `${platform.url.registry}/v1/list-entries/${id}/${step}`, { token: court }))
          .status,
      ).toBe(200);
    const ended = await api('POST', `${platform.url.registry}/v1/list-entries/${id}/end`, {
      token: court,
      body: { reason: 'revoked', note: '撤销' },
    });
    expect(ended.status).toBe(200);
    type Changes = {
      items: { kind: string; reason: string | null; entryId: string }[];
      nextCursor: string | null;
    };
    const changes = await api<Changes>('GET', `${platform.url.registry}/v1/publication-feed/changes`, {
      token: supervisor,
    });
    expect(changes.status).toBe(200);
    const mine = changes.body.items.filter((c) => c.entryId === id).map((c) => [c.kind, c.reason]);
    expect(mine).toEqual([
      ['withdrawn', 'revoked'],
      ['published', null],
    ]);
    const first = await api<Changes>('GET', `${platform.url.registry}/v1/publication-feed/changes?limit=1`, {
      token: supervisor,
    });
    expect(first.body.items.map((c) => c.kind)).toEqual(['withdrawn']);
    const second = await api<Changes>(
      'GET',
      `${platform.url.registry}/v1/publication-feed/changes?limit=1&cursor=${first.body.nextCursor}`,
      { token: supervisor },
    );
    expect(second.body.items.map((c) => c.kind)).toEqual(['published']);
    const withdrawals = await api<Changes>(
      'GET',
      `${platform.url.registry}/v1/publication-feed/changes?kind=withdrawn`,
      { token: supervisor },
    );
    expect(withdrawals.body.items.every((c) => c.kind === 'withdrawn')).toBe(true);
    const forbidden = await api('GET', `${platform.url.registry}/v1/publication-feed/changes`, {
      token: court,
    });
    expect(forbidden.status).toBe(403);
  });

  it("changes a list type's terms (PUT), its colour and owner staying what they were", async () => {
    const url = `${platform.url.registry}/v1/list-types/PAGE_L1`;
    const before = await api<Record<string, unknown>>('GET', url, { token: admin });
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
    const changed = await api<Record<string, unknown>>('PUT', url, { token: admin, body });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      code: 'PAGE_L1',
      name: '改名后的名单',
      severity: 'serious',
      defaultPeriodDays: 730,
      openEndedAllowed: true,
      extension: { minDays: 365, maxDays: 1095, maxTimes: 1 },
      excludedSubjects: ['minors'],
      infoClass: 'A',
      createdAt: before.body.createdAt,
    });
    expect((await api('GET', url, { token: admin })).body).toEqual(changed.body);
    const recoloured = await api<{ code: string; errors: { field: string }[] }>('PUT', url, {
      token: admin,
      body: { ...body, colour: 'red' },
    });
    expect([recoloured.status, recoloured.body.code, recoloured.body.errors?.[0]?.field]).toEqual([
      422,
      'LIST_TYPE.COLOUR_FIXED',
      'colour',
    ]);
    const moved = await api<{ code: string }>('PUT', url, {
      token: admin,
      body: { ...body, ownerDept: 'PAGE_A' },
    });
    expect([moved.status, moved.body.code]).toEqual([422, 'LIST_TYPE.OWNER_FIXED']);
    const outOfBand = await api<{ code: string }>('PUT', url, {
      token: admin,
      body: { ...body, severity: 'minor', defaultPeriodDays: 730 },
    });
    expect(outOfBand.status).toBe(422);
    const missing = await api('PUT', `${platform.url.registry}/v1/list-types/NO_SUCH`, {
      token: admin,
      body,
    });
    expect(missing.status).toBe(404);
    expect((await api('PUT', url, { token: court, body })).status).toBe(403);
  });
});
