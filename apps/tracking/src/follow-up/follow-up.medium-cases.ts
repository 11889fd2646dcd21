import { loadBundledCalendar } from '@credit/calendar';
import { mintToken } from '@credit/auth';
import { MEDIUM_JWT_SECRET, MediumPlatform, startMedium } from '../../../../test/support/medium';
import { blockMeasure, publishCourtEntry, seedCourtDefaulter } from '../../../../test/support/medium-catalog';
import { waitFor } from '../../../../test/support/infra';
import { OverdueFollowUpJob } from './overdue-follow-up.job';

type Row = {
  id: string;
  dept: string;
  issuedAt: Date;
  ackDeadline: Date;
  ackEscalationAt: Date;
  overdue: boolean;
};
const MINUTE = 60_000;

/**
 * Tracking's follow-up on the in-process bus: an entry published in registry reaches trigger, enforcement
 * and tracking in this process; the overdue job marks who missed a deadline, an acknowledgement clears it,
 * and the supervisors' list and statistics show it. (Replays and Kafka redelivery: test/tracking.)
 */
describe('follow-up (跟踪问效): deadlines, the overdue job and statistics', () => {
  const calendar = loadBundledCalendar();
  let platform: MediumPlatform;
  let tokens: Record<'admin' | 'court' | 'supervisor' | 'finance' | 'ndrc' | 'samr', string>;

  beforeAll(async () => {
    platform = await startMedium();
    tokens = {
      admin: await platform.token('CREDIT_OFFICE', ['admin']),
      court: await platform.token('COURT', ['initiator']),
      supervisor: await platform.token('CREDIT_OFFICE', ['supervisor']),
      finance: await platform.token('FINANCE', ['implementer']),
      ndrc: await platform.token('NDRC', ['implementer']),
      samr: await platform.token('SAMR', ['system']),
    };
    await seedCourtDefaulter(
      platform,
      tokens.admin,
      ['COURT', 'FINANCE', 'NDRC', 'SAMR'],
      [
        blockMeasure('PROCUREMENT_BAN', 'FINANCE', 'government_procurement_bid'),
        blockMeasure('BOND_ISSUE_BAN', 'NDRC', 'enterprise_bond_issue'),
        blockMeasure('MARKET_INSPECTION', 'SAMR', 'market_supervision_inspection'),
      ],
    );
  });
  afterAll(() => platform?.close());

  const rowsOf = (entryId: string) =>
    platform.sql<Row>(
      `SELECT id, dept, issued_at AS "issuedAt", ack_deadline AS "ackDeadline",
         ack_escalation_at AS "ackEscalationAt", overdue
       FROM tracking.follow_up_assignments WHERE entry_id = $1 AND issued ORDER BY dept`,
      [entryId],
    );
  const ack = (id: string, token: string) => platform.api('POST', `/v1/assignments/${id}/ack`, { token });

  it('marks who missed the acknowledgement deadline, clears it on catching up, and shows it to supervisors', async () => {
    const entryId = await publishCourtEntry(platform, tokens.court, {
      kind: 'legal_person',
      id: '91330106MA2H7QK4XQ',
      name: '杭州某某科技有限公司',
    });
    const rows = await waitFor(
      async () => {
        const found = await rowsOf(entryId);
        return found.length === 3 ? found : undefined;
      },
      { message: 'three assignments followed up' },
    );
    for (const r of rows) {
      expect(new Date(r.ackDeadline)).toEqual(calendar.addWorkingDays(new Date(r.issuedAt), 2));
      expect(new Date(r.ackEscalationAt)).toEqual(calendar.addWorkingDays(new Date(r.ackDeadline), 3));
    }
    const id = Object.fromEntries(rows.map((r) => [r.dept, r.id]));
    // the assignment reaches FINANCE's inbox through the bus before it can be acknowledged there
    await waitFor(async () => (await ack(id.FINANCE, tokens.finance)).status === 200, {
      message: 'FINANCE ack',
    });
    await waitFor(
      async () => {
        const [row] = await platform.sql<{ acknowledged: boolean }>(
          `SELECT acknowledged_at IS NOT NULL AS acknowledged FROM tracking.follow_up_assignments WHERE id = $1`,
          [id.FINANCE],
        );
        return row?.acknowledged;
      },
      { message: 'FINANCE acknowledged in tracking' },
    );

    const job = platform.get(OverdueFollowUpJob);
    const pastAck = new Date(Math.max(...rows.map((r) => new Date(r.ackDeadline).getTime())) + MINUTE);
    const pass = await job.markOverdue(pastAck);
    expect(pass.marks.map((m) => `${m.dept}:${m.kind}:${m.level}`).sort()).toEqual([
      'NDRC:acknowledgement:1',
      'SAMR:acknowledgement:1',
    ]);

    type Page = { items: { id: string; dept: string }[] };
    const listed = await platform.api<Page>('GET', '/v1/overdue', { token: tokens.supervisor });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i) => i.dept).sort()).toEqual(['NDRC', 'SAMR']);
    expect((await platform.api('GET', '/v1/overdue', { token: tokens.finance })).status).toBe(403);
    // the counts come from the rollup (decision 0056) and agree with the rows
    type Counts = { items: { dept: string; kind: string; level: number; count: number }[]; total: number };
    const counts = await platform.api<Counts>('GET', '/v1/overdue/counts', { token: tokens.supervisor });
    expect(counts.status).toBe(200);
    const [{ n }] = await platform.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM tracking.follow_up_assignments WHERE overdue`,
    );
    expect(counts.body.total).toBe(n);
    expect(counts.body.items.filter((i) => i.dept === 'NDRC' || i.dept === 'SAMR')).toEqual([
      { dept: 'NDRC', kind: 'acknowledgement', level: 1, count: 1 },
      { dept: 'SAMR', kind: 'acknowledgement', level: 1, count: 1 },
    ]);
    expect((await platform.api('GET', '/v1/overdue/counts', { token: tokens.finance })).status).toBe(403);
    // a region's supervisor (decision 0020) counts its region's departments only (all seeded in 330100)
    const regional = (region: string) =>
      mintToken({ sub: 'regional', dept: 'CREDIT_OFFICE', roles: ['supervisor'], region }, MEDIUM_JWT_SECRET);
    const inRegion = await platform.api<Counts>('GET', '/v1/overdue/counts', {
      token: await regional('330100'),
    });
    expect(inRegion.body).toEqual(counts.body);
    const elsewhere = await platform.api<Counts>('GET', '/v1/overdue/counts', {
      token: await regional('110000'),
    });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body).toEqual({ items: [], total: 0 });
    // the dashboard's region filter: the national supervisor asks for one region, a regional one its own
    const asked = (region: string, token: string) =>
      platform.api<Counts>('GET', `/v1/overdue/counts?region=${region}`, { token });
    expect((await asked('330100', tokens.supervisor)).body).toEqual(counts.body);
    expect((await asked('110000', tokens.supervisor)).body).toEqual({ items: [], total: 0 });
    expect((await asked('110000', await regional('330100'))).status).toBe(403);

    // the supervisors' list, filtered and paged (moved from test/tracking/follow-up.e2e-cases.ts)
    type Item = {
      id: string;
      entryId: string;
      dept: string;
      measureCode: string;
      listType: string;
      kind: string;
      level: number;
      deadline: string;
      target: { id: string };
      status: string;
    };
    const get = (query = '', token: string | null = tokens.supervisor) =>
      platform.api<{ items: Item[]; nextCursor: string | null }>('GET', `/v1/overdue${query}`, {
        token: token ?? undefined,
      });
    const samr = (await get('?dept=SAMR')).body.items;
    expect(samr).toHaveLength(1);
    expect(samr[0]).toMatchObject({
      entryId,
      dept: 'SAMR',
      measureCode: 'MARKET_INSPECTION',
      listType: 'COURT_DEFAULTER',
      status: 'issued',
      target: { id: '91330106MA2H7QK4XQ' },
      kind: 'acknowledgement',
      level: 1,
    });
    expect(new Date(samr[0].deadline)).toEqual(new Date(rows.find((r) => r.dept === 'SAMR')!.ackDeadline));
    expect((await get('?listType=COURT_DEFAULTER')).body.items.map((i) => i.dept).sort()).toEqual([
      'NDRC',
      'SAMR',
    ]);
    expect((await get('?listType=OTHER')).body.items).toEqual([]);
    expect((await get('?measureCode=BOND_ISSUE_BAN')).body.items.map((i) => i.dept)).toEqual(['NDRC']);
    expect((await get('?level=1&kind=acknowledgement')).body.items).toHaveLength(2);
    expect((await get('?level=2')).body.items).toEqual([]);
    expect((await get('?kind=feedback')).body.items).toEqual([]);
    const first = await get('?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.items, ...second.body.items].map((i) => i.id)).toEqual(
      listed.body.items.map((i) => i.id),
    );
    expect((await get('', tokens.ndrc)).status).toBe(403);
    expect((await get('', tokens.court)).status).toBe(403);
    expect((await get('', null)).status).toBe(401);
    expect((await get('?minAgeDays=-1')).status).toBe(400);

    expect((await ack(id.NDRC, tokens.ndrc)).status).toBe(200);
    await waitFor(
      async () => {
        const page = await platform.api<Page>('GET', '/v1/overdue', { token: tokens.supervisor });
        return page.body.items.every((i) => i.dept !== 'NDRC');
      },
      { message: 'NDRC cleared' },
    );

    type Stats = { applicationRate: { byDepartment: { dept: string; assigned: number }[] } };
    const stats = await platform.api<Stats>('GET', '/v1/stats/departments', { token: tokens.supervisor });
    expect(stats.status).toBe(200);
    expect(stats.body.applicationRate.byDepartment.map((d) => [d.dept, d.assigned]).sort()).toEqual([
      ['FINANCE', 1],
      ['NDRC', 1],
      ['SAMR', 1],
    ]);
  });
  it('marks in one pass every assignment due, however many share a deadline to the microsecond', async () => {
    // more than a batch (200) with one next_mark_at: the pass's cursor must not read the same rows again
    const deadline = '2026-01-05T01:02:03.456789Z';
    await platform.sql(
      `INSERT INTO tracking.follow_up_assignments (id, entry_id, dept, issued, issued_at, ack_deadline,
         ack_escalation_at, feedback_deadline, feedback_escalation_at)
       SELECT gen_random_uuid(), gen_random_uuid(), 'BATCH_DEPT', true, $1::timestamptz - interval '3 days',
         $1::timestamptz, $1::timestamptz + interval '300 days', $1::timestamptz + interval '300 days',
         $1::timestamptz + interval '400 days'
       FROM generate_series(1, 250)`,
      [deadline],
    );
    const job = platform.get(OverdueFollowUpJob);
    const now = new Date(new Date(deadline).getTime() + MINUTE);
    const pass = await job.markOverdue(now);
    expect(pass.marks.filter((m) => m.dept === 'BATCH_DEPT')).toHaveLength(250);
    expect((await job.markOverdue(now)).marks.filter((m) => m.dept === 'BATCH_DEPT')).toHaveLength(0);
    const [{ n }] = await platform.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM tracking.follow_up_assignments WHERE dept = 'BATCH_DEPT' AND overdue`,
    );
    expect(n).toBe(250);
  });
});
