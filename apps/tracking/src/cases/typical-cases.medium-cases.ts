import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { blockMeasure, publishCourtEntry, seedCourtDefaulter } from '../../../../test/support/medium-catalog';
import { waitFor } from '../../../../test/support/infra';

type CaseView = { id: string; status: string; region: string; nominatingDept: string };
type Problem = { code: string; errors?: { field: string; code: string }[] };

const SUBJECT = { kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '杭州某某科技有限公司' };

/**
 * 典型案例 on the in-process bus (NominateTypicalCaseUseCase, ScreenTypicalCaseUseCase): who may nominate
 * which entry with which feedback, and the credit office's screening steps. The whole story, exports and
 * the public list included, runs in test/tracking/typical-cases*.e2e-spec.ts on both layouts.
 */
describe('typical cases (典型案例): nomination and screening', () => {
  let platform: MediumPlatform;
  let tokens: Record<'admin' | 'court' | 'finance' | 'ndrc' | 'supervisor', string>;
  let entryId: string;
  const assignment: Record<'FINANCE' | 'NDRC', string> = { FINANCE: '', NDRC: '' };

  const nominate = (token: string, overrides: Record<string, unknown> = {}) =>
    platform.api<CaseView & Problem>('POST', '/v1/cases', {
      token,
      body: {
        title: '失信被执行人主动履行',
        summary: '财政局在政府采购中限制其投标，其后主动履行全部义务。',
        kind: 'punishment',
        entryIds: [entryId],
        assignmentIds: [assignment.FINANCE],
        ...overrides,
      },
    });
  const step = (id: string, path: string, token: string, body?: Record<string, unknown>) =>
    platform.api<{ status: string } & Problem>('POST', `/v1/cases/${id}/${path}`, { token, body });

  beforeAll(async () => {
    platform = await startMedium();
    tokens = {
      admin: await platform.token('CREDIT_OFFICE', ['admin']),
      court: await platform.token('COURT', ['initiator']),
      finance: await platform.token('FINANCE', ['implementer']),
      ndrc: await platform.token('NDRC', ['implementer']),
      supervisor: await platform.token('CREDIT_OFFICE', ['supervisor']),
    };
    await seedCourtDefaulter(
      platform,
      tokens.admin,
      ['COURT', 'FINANCE', 'NDRC', 'TAX'],
      [
        blockMeasure('PROCUREMENT_BAN', 'FINANCE', 'government_procurement_bid'),
        blockMeasure('BOND_ISSUE_BAN', 'NDRC', 'enterprise_bond_issue'),
      ],
    );
    entryId = await publishCourtEntry(platform, tokens.court, SUBJECT);
    const rows = await waitFor(
      async () => {
        const found = await platform.sql<{ id: string; dept: 'FINANCE' | 'NDRC' }>(
          `SELECT id, dept FROM enforcement.assignments WHERE entry_id = $1`,
          [entryId],
        );
        return found.length === 2 ? found : undefined;
      },
      { message: 'both assignments in enforcement' },
    );
    for (const r of rows) assignment[r.dept] = r.id;
    // FINANCE reports what it did; NDRC never does
    expect(
      (await platform.api('POST', `/v1/assignments/${assignment.FINANCE}/ack`, { token: tokens.finance }))
        .status,
    ).toBe(200);
    expect(
      (
        await platform.api('POST', `/v1/assignments/${assignment.FINANCE}/feedback`, {
          token: tokens.finance,
          body: { outcome: 'enforced', detail: '否决投标' },
        })
      ).status,
    ).toBe(200);
  });
  afterAll(() => platform?.close());

  it('refuses a nomination by a department not involved, of the wrong kind, or with no feedback', async () => {
    // tracking learns the feedback through the bus: the first nomination may find none yet
    await waitFor(
      async () => (await nominate(tokens.court, { kind: 'incentive' })).body.code !== 'CASE.NO_FEEDBACK',
      {
        message: 'FINANCE feedback in tracking',
      },
    );
    const wrongKind = await nominate(tokens.court, { kind: 'incentive' });
    expect([wrongKind.status, wrongKind.body.code]).toEqual([422, 'CASE.KIND_MISMATCH']);
    // TAX implements nothing on the entry; SAMR has no registered region
    const notInvolved = await nominate(await platform.token('TAX', ['implementer']));
    expect([notInvolved.status, notInvolved.body.code]).toEqual([403, 'CASE.NOT_INVOLVED']);
    const noRegion = await nominate(await platform.token('SAMR', ['implementer']));
    expect([noRegion.status, noRegion.body.code]).toEqual([422, 'CASE.DEPARTMENT_REGION_UNKNOWN']);
    const noFeedback = await nominate(tokens.ndrc, { assignmentIds: [assignment.NDRC] });
    expect([noFeedback.status, noFeedback.body.code]).toEqual([422, 'CASE.NO_FEEDBACK']);
    const foreign = await nominate(tokens.court, { assignmentIds: ['00000000-0000-4000-8000-000000000000'] });
    expect([foreign.status, foreign.body.code]).toEqual([422, 'CASE.ASSIGNMENT_UNKNOWN']);
  });

  it('lets the initiator and an implementer holding an assignment nominate; the office screens in order', async () => {
    const byImplementer = await nominate(tokens.ndrc);
    expect(byImplementer.status).toBe(201);
    const nominated = await nominate(tokens.court);
    expect(nominated.status).toBe(201);
    expect(nominated.body).toMatchObject({ status: 'submitted', nominatingDept: 'COURT', region: '330100' });
    const id = nominated.body.id;

    const early = await step(id, 'publication', tokens.supervisor);
    expect([early.status, early.body.code]).toEqual([409, 'CASE.ILLEGAL_TRANSITION']);
    expect((await step(id, 'screening', tokens.court)).status).toBe(403); // the role: screeners only
    expect((await step(id, 'screening', tokens.supervisor)).body.status).toBe('screening');
    expect((await step(id, 'accept', tokens.supervisor, { note: '典型' })).body.status).toBe('accepted');
    expect((await step(id, 'publication', tokens.supervisor)).body.status).toBe('published');
    expect((await step(id, 'withdrawal', tokens.admin, { reason: '当事人异议' })).body.status).toBe(
      'withdrawn',
    );
    const read = await platform.api<CaseView>('GET', `/v1/cases/${id}`, { token: tokens.court });
    expect([read.status, read.body.status]).toEqual([200, 'withdrawn']);
    // another department neither reads nor learns the case exists
    const other = await platform.api<Problem>('GET', `/v1/cases/${id}`, { token: tokens.finance });
    expect([other.status, other.body.code]).toEqual([404, 'CASE.NOT_FOUND']);

    const rejected = (await nominate(tokens.court)).body.id;
    await step(rejected, 'screening', tokens.supervisor);
    expect((await step(rejected, 'reject', tokens.supervisor, { reason: '不典型' })).body.status).toBe(
      'rejected',
    );
    expect((await step(rejected, 'publication', tokens.supervisor)).status).toBe(409); // rejected is final
  });
});
