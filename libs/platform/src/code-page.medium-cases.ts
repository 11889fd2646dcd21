import { MediumPlatform, startMedium } from '../../../test/support/medium';
import { blockMeasure, seedCourtDefaulter } from '../../../test/support/medium-catalog';
import { listTypeBody, uscc } from '../../../test/support/medium-registry';

type Page = { items: { code: string }[]; nextCursor: string | null };
const BID = 'government_procurement_bid';

/**
 * The admin lists page by code with `?cursor=&limit=` (codePageOf, the console's 加载更多); without either
 * they answer every row as before. Registry's and trigger's lists, in one process.
 */
describe('admin lists: cursor paging by code', () => {
  let platform: MediumPlatform;
  let admin: string;

  beforeAll(async () => {
    platform = await startMedium({ services: ['registry', 'trigger'] });
    admin = await platform.token('CREDIT_OFFICE', ['admin']);
    await seedCourtDefaulter(
      platform,
      admin,
      ['COURT', 'PAGE_A', 'PAGE_B', 'PAGE_C'],
      [blockMeasure('PAGE-M1', 'COURT', BID), blockMeasure('PAGE-M2', 'COURT', BID)],
    );
    const created = async (path: string, body: unknown) =>
      expect((await platform.api('POST', path, { token: admin, body })).status).toBe(201);
    for (const code of ['PAGE_L1', 'PAGE_L2'])
      await created('/v1/list-types', { ...listTypeBody(code, 'COURT', 'general', 365, 5), infoClass: 'B' });
    for (const code of ['MOU-PAGE-1', 'MOU-PAGE-2'])
      await created('/v1/memoranda', {
        code,
        title: code,
        documentNo: 'd',
        listTypes: ['COURT_DEFAULTER'],
        measures: [blockMeasure(`${code}-X`, 'COURT', BID), blockMeasure(`${code}-Y`, 'COURT', BID)],
      });
    for (const body of ['PG0T0001', 'PG0T0002', 'PG0T0003'])
      await created('/v1/identifier-allow-list', { code: uscc(body).slice(0, 17) + 'Y', note: 'pilot' });
  });
  afterAll(() => platform?.close());

  it('pages every admin list by code, the pages together being the whole list', async () => {
    for (const [name, path] of [
      ['departments', '/v1/departments'],
      ['list types', '/v1/list-types'],
      ['memoranda', '/v1/memoranda'],
      ['measures', '/v1/measures'],
      ['allow-list', '/v1/identifier-allow-list'],
    ]) {
      const whole = await platform.api<Page>('GET', path, { token: admin });
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
        const query = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page: { status: number; body: Page } = await platform.api<Page>('GET', path + query, {
          token: admin,
        });
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
    const res = await platform.api<{ errors: { field: string }[] }>(
      'GET',
      '/v1/departments?cursor=not-a-cursor',
      { token: admin },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('cursor');
  });
});
