import { MediumPlatform } from '../../../../test/support/medium';
import {
  company,
  DECISION,
  entry,
  listTypeBody,
  ownSeededRegistry,
  Tokens,
  uscc,
} from '../../../../test/support/medium-registry';
import { PublicEntryQueries } from './public-entries.queries';

type Changes = {
  items: { kind: string; reason: string | null; entryId: string }[];
  nextCursor: string | null;
};

/**
 * 公示 as the anonymous reader finds it (PublicEntryQueries): the rules live in the SQL — which list types
 * are public, which entries are in force at a moment, how a subject is found, and the keyset paging.
 */
describe('public disclosure queries: what the public sees, found and paged', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;
  let queries: PublicEntryQueries;
  const published: string[] = []; // in publication order
  const subjects = [uscc('MPUB0001'), uscc('MPUB0002'), uscc('MPUB0003')];

  // a registry of its own: what the public sees is every entry in force
  ownSeededRegistry(async (started, seeded) => {
    [platform, tokens] = [started, seeded];
    queries = platform.get(PublicEntryQueries);
    const classB = { ...listTypeBody('COURT_INTERNAL', 'COURT', 'serious', 730, 0), infoClass: 'B' };
    const res = await platform.api('POST', '/v1/list-types', { token: tokens.admin, body: classB });
    if (res.status !== 201) throw new Error(`list type: ${res.status} ${JSON.stringify(res.body)}`);
    const names = ['杭州甲某科技有限公司', '杭州乙某贸易有限公司', '杭州丙某科技有限公司'];
    for (const [i, id] of subjects.entries()) {
      published.push(
        await entry(
          platform,
          tokens.court,
          { listType: 'COURT_DEFAULTER', subject: company(id, names[i]), decision: DECISION },
          ['notice', 'publish'],
        ),
      );
    }
  });

  const ids = (page: { items: { entryId: string }[] }) => page.items.map((r) => r.entryId);

  it('lists the class-A list types that are not minor (unless published by choice), by code', async () => {
    const { items, nextCursor } = await queries.listTypes();
    expect(items.map((t) => t.code)).toEqual(['COURT_DEFAULTER', 'TAX_MAJOR']);
    expect(items[0]).toMatchObject({ ownerDept: { code: 'COURT', name: 'COURT' }, repairable: true });
    expect(nextCursor).toBeNull();
  });

  it('pages the entries in force newest publication first, each once', async () => {
    const now = new Date();
    const first = await queries.search({ limit: 2 }, now);
    expect(ids(first)).toEqual([published[2], published[1]]);
    expect(first.nextCursor).not.toBeNull();
    const second = await queries.search({ limit: 2, cursor: first.nextCursor! }, now);
    expect(ids(second)).toEqual([published[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it('shows no entry whose period ended before the moment asked about', async () => {
    const later = new Date(Date.now() + 3 * 366 * 24 * 3600 * 1000); // past the 730-day period
    expect((await queries.search({ limit: 20 }, later)).items).toEqual([]);
    expect(ids(await queries.search({ limit: 20, listType: 'TAX_MAJOR' }, new Date()))).toEqual([]);
  });

  it('finds a subject by its whole code, or an organisation by part of its name', async () => {
    const now = new Date();
    expect(ids(await queries.search({ q: subjects[1].toLowerCase(), limit: 20 }, now))).toEqual([
      published[1],
    ]);
    expect(ids(await queries.search({ q: subjects[1].slice(0, 10), limit: 20 }, now))).toEqual([]);
    expect(ids(await queries.search({ q: '科技', limit: 20 }, now))).toEqual([published[2], published[0]]);
    // LIKE's own characters are matched as they are, not as patterns
    expect(ids(await queries.search({ q: '%', limit: 20 }, now))).toEqual([]);
  });

  // the supervisors' read of the 公示 feed (publication-feed.controller.ts); last: it withdraws an entry
  it('shows the supervisor publications and withdrawals, newest first, with the reason', async () => {
    const id = await entry(
      platform,
      tokens.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: company(uscc('FEED0001'), '公示动态测试公司'),
        decision: DECISION,
      },
      ['notice', 'publish'],
    );
    const ended = await platform.api('POST', `/v1/list-entries/${id}/end`, {
      token: tokens.court,
      body: { reason: 'revoked', note: '撤销' },
    });
    expect(ended.status).toBe(200);
    const changes = (query = '', token = tokens.supervisor) =>
      platform.api<Changes>('GET', `/v1/publication-feed/changes${query}`, { token });
    const all = await changes();
    expect(all.status).toBe(200);
    expect(all.body.items.filter((c) => c.entryId === id).map((c) => [c.kind, c.reason])).toEqual([
      ['withdrawn', 'revoked'],
      ['published', null],
    ]);
    const first = await changes('?limit=1');
    expect(first.body.items.map((c) => c.kind)).toEqual(['withdrawn']);
    const second = await changes(`?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((c) => c.kind)).toEqual(['published']);
    const withdrawals = await changes('?kind=withdrawn');
    expect(withdrawals.body.items.every((c) => c.kind === 'withdrawn')).toBe(true);
    expect((await changes('', tokens.court)).status).toBe(403);
  });
});
