import { Client } from 'pg';
import { loadBundledCalendar } from '@credit/calendar';
import { ServiceMessaging } from '@credit/messaging';
import { RunReconciliationUseCase } from '../../apps/tracking/src/reconciliation/run-reconciliation.usecase';
import { TRIGGER_MESSAGING } from '../../apps/trigger/src/trigger.tokens';
import { DECISION, entry, uscc } from '../registry/registry-fixtures';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { waitFor } from '../support/infra';
import { api, startPlatform, TestPlatform } from '../support/services';

type Gap = {
  kind: string;
  entryId: string;
  dept: string | null;
  assignmentId: string | null;
  checkId: string | null;
  since: string;
  clearedAt: string | null;
  detail: Record<string, unknown>;
};
type Page = { items: Gap[]; nextCursor: string | null };

/**
 * Issue 6 (4): reconciliation finds what should have followed an event and did not, over real Kafka and
 * PostgreSQL. Each gap is planted for real (trigger's consumers stopped while the registry publishes and
 * ends entries; a hit nobody decides) and must clear when the missing events arrive.
 */
describe('tracking: reconciliation finds planted gaps and clears them', () => {
  const calendar = loadBundledCalendar();
  const MINUTE = 60_000;
  let platform: TestPlatform;
  let db: Client;
  let reconciliation: RunReconciliationUseCase;
  let trigger: ServiceMessaging;
  const t: Record<string, string> = {};
  let entryA: string;
  let entryB: string;
  const subjectA = uscc('RECNA001');
  const subjectB = uscc('RECNA002');

  const gaps = async (query = '', token = t.supervisor) =>
    api<Page>('GET', `${platform.url.tracking}/v1/reconciliation${query}`, { token });
  const kindsOf = (page: Page, entryId: string) =>
    page.items
      .filter((g) => g.entryId === entryId)
      .map((g) => `${g.kind}:${g.dept}`)
      .sort();
  const assignmentsOf = async (entryId: string) =>
    (
      await db.query(
        `SELECT id, dept, lifted_at FROM tracking.follow_up_assignments WHERE entry_id = $1 AND issued ORDER BY dept`,
        [entryId],
      )
    ).rows as { id: string; dept: string; lifted_at: Date | null }[];

  // entry() fails unless the create answers 201 and each step 200
  const publish = (subjectId: string): Promise<string> =>
    entry(
      { url: platform.url.registry },
      t.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: subjectId, name: '某某公司' },
        decision: DECISION,
      },
      ['notice', 'publish'],
    );

  const trackedEntry = (entryId: string) =>
    waitFor(
      async () =>
        (
          await db.query(
            `SELECT entry_id, published_at, ended_at, fan_outs, declared, issued FROM tracking.entries WHERE entry_id = $1`,
            [entryId],
          )
        ).rows[0],
      { message: `tracking knows entry ${entryId}` },
    );

  beforeAll(async () => {
    platform = await startPlatform();
    db = new Client({ connectionString: platform.databaseUrl });
    await db.connect();
    reconciliation = platform.app.tracking.get(RunReconciliationUseCase);
    trigger = platform.app.trigger.get<symbol, ServiceMessaging>(TRIGGER_MESSAGING);
    t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
    t.supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    t.court = await platform.token('COURT', ['initiator']);
    t.finance = await platform.token('FINANCE', ['system']);
    t.ndrc = await platform.token('NDRC', ['implementer']);
    await seedCatalog(platform, t.admin, {
      measures: [
        measureBody('PROCUREMENT_BAN', 'FINANCE'),
        measureBody('BOND_ISSUE_BAN', 'NDRC', { actions: ['enterprise_bond_issue'] }),
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it('finds nothing while every step follows its event', async () => {
    entryA = await publish(subjectA);
    await waitFor(async () => (await trackedEntry(entryA)).fan_outs === 1, { message: 'fan-out announced' });
    expect(await trackedEntry(entryA)).toMatchObject({ fan_outs: 1, declared: 2, issued: 2 });
    const pass = await reconciliation.execute(new Date(Date.now() + 11 * MINUTE));
    expect(pass.ran).toBe(true);
    expect(pass.detected).toEqual({
      fan_out_missing: 0,
      lift_missing: 0,
      lift_unconfirmed: 0,
      check_undecided: 0,
    });
    expect((await gaps()).body.items).toEqual([]);
  });

  it('lists a publication whose assignments never came and an end whose lifts never came, then clears both', async () => {
    // trigger stops consuming: the registry's events wait on the topic
    await trigger.stop();
    try {
      entryB = await publish(subjectB);
      const ended = await api('POST', `${platform.url.registry}/v1/list-entries/${entryA}/end`, {
        token: t.court,
        body: { reason: 'repaired', note: '已履行' },
      });
      expect(ended.status).toBe(200);
      await trackedEntry(entryB);
      await waitFor(async () => (await trackedEntry(entryA)).ended_at, { message: 'end of A tracked' });

      // within the grace periods nothing is a gap yet
      expect(Object.values((await reconciliation.execute()).detected).every((n) => n === 0)).toBe(true);
      const later = new Date(Date.now() + 11 * MINUTE);
      const pass = await reconciliation.execute(later);
      expect(pass.detected).toMatchObject({ fan_out_missing: 1, lift_missing: 2 });
      // a second pass (or another replica's) records nothing twice
      expect(Object.values((await reconciliation.execute(later)).detected).every((n) => n === 0)).toBe(true);

      const open = await gaps();
      expect(open.status).toBe(200);
      expect(kindsOf(open.body, entryB)).toEqual(['fan_out_missing:COURT']);
      expect(kindsOf(open.body, entryA)).toEqual(['lift_missing:FINANCE', 'lift_missing:NDRC']);
      const fanOut = open.body.items.find((g) => g.entryId === entryB)!;
      expect(fanOut.detail).toMatchObject({ reason: 'no fan-out announced' });
      const liftA = open.body.items.filter((g) => g.entryId === entryA);
      expect(liftA.map((g) => g.assignmentId).sort()).toEqual(
        (await assignmentsOf(entryA)).map((a) => a.id).sort(),
      );
      expect(
        (await gaps('?kind=lift_missing&dept=NDRC')).body.items.map((g) => `${g.kind}:${g.dept}`),
      ).toEqual(['lift_missing:NDRC']);
      expect((await gaps(`?entryId=${entryB}`)).body.items).toHaveLength(1);
      expect((await gaps('?minAgeDays=1')).body.items).toEqual([]);
      const first = await gaps('?limit=2');
      expect(first.body.items).toHaveLength(2);
      const second = await gaps(`?limit=2&cursor=${first.body.nextCursor}`);
      expect([...first.body.items, ...second.body.items]).toEqual(open.body.items);
      expect((await gaps('', t.ndrc)).status).toBe(403);
      expect((await gaps('', t.court)).status).toBe(403);
      expect((await gaps('?kind=nonsense')).status).toBe(400);
    } finally {
      await trigger.start();
    }

    // trigger catches up: the assignments of B and the lifts of A arrive, and the gaps clear by themselves
    await waitFor(async () => (await gaps()).body.items.length === 0, {
      message: 'every gap cleared once trigger caught up',
    });
    expect(await trackedEntry(entryB)).toMatchObject({ fan_outs: 1, declared: 2, issued: 2 });
    const cleared = await gaps('?status=cleared');
    expect(cleared.body.items.map((g) => g.kind).sort()).toEqual([
      'fan_out_missing',
      'lift_missing',
      'lift_missing',
    ]);
    expect(cleared.body.items.every((g) => g.clearedAt !== null)).toBe(true);
  });

  it('lists lifts not confirmed within the working days allowed, until the department confirms', async () => {
    const rows = await assignmentsOf(entryA);
    expect(rows.every((r) => r.lifted_at)).toBe(true);
    const finance = rows.find((r) => r.dept === 'FINANCE')!;
    const liftedAt = rows[0].lifted_at!;
    const deadline = calendar.addWorkingDays(liftedAt, 2);
    expect(
      (await reconciliation.execute(new Date(deadline.getTime() - MINUTE))).detected.lift_unconfirmed,
    ).toBe(0);
    expect(
      (await reconciliation.execute(new Date(deadline.getTime() + MINUTE))).detected.lift_unconfirmed,
    ).toBe(2);
    const open = await gaps('?kind=lift_unconfirmed');
    expect(open.body.items.map((g) => g.dept).sort()).toEqual(['FINANCE', 'NDRC']);
    expect(open.body.items[0].since).toBe(deadline.toISOString());

    const confirmed = await waitFor(async () => {
      const res = await api(
        'POST',
        `${platform.url.enforcement}/v1/assignments/${finance.id}/lift-confirmation`,
        { token: t.finance },
      );
      return res.status === 200 ? res : undefined;
    });
    expect(confirmed.status).toBe(200);
    await waitFor(
      async () =>
        (await gaps('?kind=lift_unconfirmed')).body.items.map((g) => g.dept).join() === 'NDRC' || undefined,
      { message: "FINANCE's gap clears when its confirmation arrives" },
    );
  });

  it('lists a hit on the checking department’s own measure that nobody decided, until it is decided', async () => {
    const check = await waitFor(async () => {
      const res = await api<{ checkId: string; decision: string }>(
        'POST',
        `${platform.url.enforcement}/v1/checks`,
        { token: t.finance, body: { subject: { id: subjectB }, action: 'government_procurement_bid' } },
      );
      return res.body.decision === 'block' ? res.body : undefined;
    });
    // NDRC asking about procurement learns nothing of FINANCE's measure (decision 0020): no hit, no gap
    const other = await api<{ decision: string; reasons: unknown[] }>(
      'POST',
      `${platform.url.enforcement}/v1/checks`,
      { token: t.ndrc, body: { subject: { id: subjectB }, action: 'government_procurement_bid' } },
    );
    expect(other.body).toMatchObject({ decision: 'allow', reasons: [] });
    await waitFor(
      async () =>
        (await db.query(`SELECT count(*)::int AS n FROM tracking.check_hits WHERE entry_id = $1`, [entryB]))
          .rows[0].n === 1,
      { message: "FINANCE's hit tracked" },
    );
    const hitAt = new Date();
    const pass = await reconciliation.execute(new Date(calendar.addWorkingDays(hitAt, 1).getTime() + MINUTE));
    expect(pass.detected.check_undecided).toBe(1);
    const open = await gaps('?kind=check_undecided');
    expect(open.body.items).toEqual([
      expect.objectContaining({ entryId: entryB, dept: 'FINANCE', checkId: check.checkId }),
    ]);
    expect(open.body.items[0].detail).toMatchObject({
      action: 'government_procurement_bid',
      decision: 'block',
    });

    const decided = await api('POST', `${platform.url.enforcement}/v1/checks/${check.checkId}/decisions`, {
      token: t.finance,
      body: { outcome: 'not_applied', reason: '该项目不属于政府采购' },
    });
    expect(decided.status).toBe(201);
    await waitFor(async () => (await gaps('?kind=check_undecided')).body.items.length === 0 || undefined, {
      message: 'the decision clears the gap',
    });

    // the decision is part of the entry's trail, with who decided and why
    const trail = await api<{ items: { type: string; actorDept: string; data: Record<string, unknown> }[] }>(
      'GET',
      `${platform.url.tracking}/v1/list-entries/${entryB}/trail`,
      { token: t.supervisor },
    );
    const decision = trail.body.items.find((r) => r.type === 'credit.check.decided.v1');
    expect(decision).toMatchObject({
      actorDept: 'FINANCE',
      data: { checkId: check.checkId, outcome: 'not_applied', reason: '该项目不属于政府采购' },
    });
    expect(trail.body.items.map((r) => r.type)).toContain('credit.assignment.fanned-out.v1');
  });

  it('runs a pass on request, for supervisors only', async () => {
    const run = await api<{ ran: boolean }>('POST', `${platform.url.tracking}/v1/reconciliation/runs`, {
      token: t.supervisor,
    });
    expect(run.status).toBe(200);
    expect(run.body.ran).toBe(true);
    expect(
      (await api('POST', `${platform.url.tracking}/v1/reconciliation/runs`, { token: t.court })).status,
    ).toBe(403);
  });
});
