import { measureBody } from '../../../../test/support/catalog-seed';
import { waitFor } from '../../../../test/support/infra';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { publishCourtEntry, seedCourtDefaulter } from '../../../../test/support/medium-catalog';
import { company, uscc } from '../../../../test/support/medium-registry';
import { InboxQueries } from './inbox.queries';

/**
 * A department's inbox (InboxQueries): the rules live in the SQL — a department reads its own assignments
 * only, oldest issued first, filtered, and paged by (issued at, id) without losing or repeating one.
 */
describe('inbox queries: a department reads its own assignments, paged', () => {
  let platform: MediumPlatform;
  let queries: InboxQueries;

  beforeAll(async () => {
    platform = await startMedium();
    queries = platform.get(InboxQueries);
    const admin = await platform.token('CREDIT_OFFICE', ['admin']);
    const court = await platform.token('COURT', ['initiator']);
    await seedCourtDefaulter(
      platform,
      admin,
      ['COURT'],
      [
        measureBody('IN-FIN-BID', 'FINANCE'),
        measureBody('IN-FIN-BOND', 'FINANCE', { actions: ['enterprise_bond_issue'] }),
        measureBody('IN-NDRC', 'NDRC'),
      ],
    );
    for (const n of [1, 2])
      await publishCourtEntry(platform, court, company(uscc(`MANB000${n}`), `公司${n}`));
    await waitFor(
      async () =>
        Number(
          (await platform.sql<{ n: string }>(`SELECT count(*) AS n FROM enforcement.assignments`))[0].n,
        ) === 6 || undefined,
      { message: 'six assignments in the inbox' },
    );
  });
  afterAll(() => platform?.close());

  it("pages a department's own assignments oldest first, each once", async () => {
    const first = await queries.ofDepartment('FINANCE', { limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await queries.ofDepartment('FINANCE', { limit: 3, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const items = [...first.items, ...second.items];
    expect(new Set(items.map((a) => a.id)).size).toBe(4);
    expect(items.every((a) => a.dept === 'FINANCE')).toBe(true);
    const issued = items.map((a) => a.issuedAt!);
    expect(issued).toEqual([...issued].sort()); // ISO times: text order is time order
  });

  it('shows another department nothing of FINANCE, and filters by measure', async () => {
    const ndrc = await queries.ofDepartment('NDRC', {});
    expect(ndrc.items.map((a) => a.measureCode)).toEqual(['IN-NDRC', 'IN-NDRC']);
    expect((await queries.ofDepartment('COURT', {})).items).toEqual([]);
    const bonds = await queries.ofDepartment('FINANCE', { measureCode: 'IN-FIN-BOND' });
    expect(bonds.items.map((a) => a.measureCode)).toEqual(['IN-FIN-BOND', 'IN-FIN-BOND']);
    expect((await queries.ofDepartment('FINANCE', { listType: 'OTHER' })).items).toEqual([]);
  });
});
