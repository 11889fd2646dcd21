import { seedCourtCatalog } from '../../../../test/support/catalog-seed';
import { waitFor } from '../../../../test/support/infra';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { blockMeasure, mediumRoutes, publishCourtEntry } from '../../../../test/support/medium-catalog';
import { tokensOf } from '../../../../test/support/medium-principals';
import { company, uscc } from '../../../../test/support/medium-registry';

type Assignment = {
  id: string;
  dept: string;
  status: string;
  measureCode: string;
  suspendedFrom?: string;
  acknowledgedAt?: string | null;
};
type Problem = { code: string; currentStatus?: string; errors?: { field: string }[] };
type TrailRecord = { type: string; data: Record<string, unknown> };

const BID = 'government_procurement_bid';

/**
 * 反馈 (RecordFeedbackUseCase) through the inbox routes: a department acknowledges, reports enforcement or
 * non-applicability and confirms a lift, of its own assignments only and in order; each step reaches
 * trigger and the trail as a feedback event; feedback given while an objection suspends the assignment
 * applies to the status it resumes to. (The same routes over Kafka, with webhooks: test/enforcement/inbox.)
 */
describe('feedback on an assignment (反馈): by its department, in order, heard by trigger and the trail', () => {
  let platform: MediumPlatform;
  let tokens: Record<'admin' | 'court' | 'supervisor' | 'finance' | 'financeSystem' | 'ndrc', string>;
  let n = 0;

  beforeAll(async () => {
    platform = await startMedium();
    tokens = await tokensOf(platform, ['admin', 'court', 'supervisor', 'finance', 'financeSystem', 'ndrc']);
    await seedCourtCatalog(mediumRoutes(platform), tokens.admin, {
      departments: ['COURT', 'FINANCE', 'NDRC'],
      listType: { suspendOnObjection: true },
      measures: [
        blockMeasure('FB-FIN-BID', 'FINANCE', BID),
        blockMeasure('FB-FIN-BOND', 'FINANCE', 'enterprise_bond_issue'),
        blockMeasure('FB-NDRC', 'NDRC', BID),
      ],
    });
  });
  afterAll(() => platform?.close());

  /** A published entry and its three assignments in enforcement's inbox, by measure code. */
  async function listed(): Promise<{ entryId: string; by: Record<string, Assignment> }> {
    const entryId = await publishCourtEntry(platform, tokens.court, company(uscc(`MFBK000${(n += 1)}`)));
    const rows = await waitFor(
      async () => {
        const found = await platform.sql<Assignment>(
          `SELECT id, dept, status, measure->>'code' AS "measureCode" FROM enforcement.assignments
            WHERE entry_id = $1`,
          [entryId],
        );
        return found.length === 3 ? found : undefined;
      },
      { message: 'three assignments in the inbox' },
    );
    return { entryId, by: Object.fromEntries(rows.map((a) => [a.measureCode, a])) };
  }
  const post = (id: string, path: string, body?: unknown, token = tokens.financeSystem) =>
    platform.api<Assignment & Problem>('POST', `/v1/assignments/${id}/${path}`, { token, body });
  const statusIn = async (schema: 'enforcement' | 'trigger', id: string) =>
    (
      await platform.sql<{ status: string }>(`SELECT status FROM ${schema}.assignments WHERE id = $1`, [id])
    )[0]?.status;
  const trailOf = (entryId: string, until: (records: TrailRecord[]) => boolean) =>
    waitFor(
      async () => {
        const res = await platform.api<{ items?: TrailRecord[] }>(
          'GET',
          `/v1/list-entries/${entryId}/trail`,
          {
            token: tokens.supervisor,
          },
        );
        const items = res.body.items ?? [];
        return until(items) ? items : undefined;
      },
      { message: `the trail of entry ${entryId}` },
    );

  it("refuses another department's assignment and an unknown one, changing nothing", async () => {
    const { by } = await listed();
    const ndrc = by['FB-NDRC'];
    for (const [path, body] of [
      ['ack', undefined],
      ['feedback', { outcome: 'enforced', detail: 'x' }],
      ['feedback', { outcome: 'not_applicable', detail: 'x' }],
      ['lift-confirmation', undefined],
    ] as const) {
      const res = await post(ndrc.id, path, body);
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 403,
        code: 'ASSIGNMENT.OTHER_DEPARTMENT',
      });
    }
    expect(await statusIn('enforcement', ndrc.id)).toBe('issued');
    const unknown = await post('00000000-0000-4000-8000-000000000000', 'ack');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ASSIGNMENT.NOT_FOUND']);
    // the department's own implementer may act (a person, not only its system)
    expect((await post(ndrc.id, 'ack', undefined, tokens.ndrc)).body.status).toBe('acknowledged');
  });

  it('walks acknowledge → enforce and acknowledge → not applicable, refusing steps out of order', async () => {
    const { entryId, by } = await listed();
    const bid = by['FB-FIN-BID'].id;
    const bond = by['FB-FIN-BOND'].id;

    const early = await post(bid, 'feedback', { outcome: 'enforced', detail: '已否决投标' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'ASSIGNMENT.TRANSITION_NOT_ALLOWED', currentStatus: 'issued' });
    expect((await post(bid, 'lift-confirmation')).status).toBe(409); // nothing was lifted
    const acknowledged = await post(bid, 'ack');
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', acknowledgedAt: expect.any(String) });
    // department systems retry: a second acknowledgement answers the same and records nothing new
    const retried = await post(bid, 'ack');
    expect(retried.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedAt: acknowledged.body.acknowledgedAt,
    });
    const enforced = await post(bid, 'feedback', {
      outcome: 'enforced',
      detail: '已否决投标',
      reference: 'ZFCG-2026-001',
    });
    expect([enforced.status, enforced.body.status]).toEqual([200, 'enforced']);
    expect((await post(bid, 'feedback', { outcome: 'not_applicable', detail: 'x' })).body).toMatchObject({
      code: 'ASSIGNMENT.TRANSITION_NOT_ALLOWED',
      currentStatus: 'enforced',
    });

    await post(bond, 'ack');
    const noDetail = await post(bond, 'feedback', { outcome: 'not_applicable' });
    expect(noDetail.status).toBe(400);
    expect(noDetail.body.errors?.map((e) => e.field)).toContain('detail');
    expect(
      (await post(bond, 'feedback', { outcome: 'not_applicable', detail: '该主体无发债计划' })).body.status,
    ).toBe('not_applicable');

    // trigger follows each step, and the trail keeps what was reported, by whom
    await waitFor(
      async () =>
        (await statusIn('trigger', bid)) === 'enforced' &&
        (await statusIn('trigger', bond)) === 'not_applicable'
          ? true
          : undefined,
      { message: "trigger's copy of the feedback" },
    );
    const trail = await trailOf(
      entryId,
      (items) => items.filter((r) => r.type.startsWith('credit.feedback.')).length >= 4,
    );
    const feedback = trail.filter((r) => r.type.startsWith('credit.feedback.'));
    expect(feedback.filter((r) => r.type === 'credit.feedback.acknowledged.v1')).toHaveLength(2);
    expect(feedback.find((r) => r.type === 'credit.feedback.enforced.v1')?.data).toMatchObject({
      assignmentId: bid,
      dept: 'FINANCE',
      detail: '已否决投标',
      reference: 'ZFCG-2026-001',
    });
    expect(feedback.find((r) => r.type === 'credit.feedback.not-applicable.v1')?.data).toMatchObject({
      assignmentId: bond,
      detail: '该主体无发债计划',
    });
  });

  it('confirms a lift once, after the entry ends and the assignment is lifted', async () => {
    const { entryId, by } = await listed();
    const bid = by['FB-FIN-BID'].id;
    await post(bid, 'ack');
    await post(bid, 'feedback', { outcome: 'enforced', detail: '已否决投标' });
    expect((await post(bid, 'lift-confirmation')).body.code).toBe('ASSIGNMENT.TRANSITION_NOT_ALLOWED');
    const ended = await platform.api('POST', `/v1/list-entries/${entryId}/end`, {
      token: tokens.court,
      body: { reason: 'repaired', note: '已履行' },
    });
    expect(ended.status).toBe(200);
    await waitFor(async () => ((await statusIn('enforcement', bid)) === 'lifted' ? true : undefined), {
      message: 'the assignment lifted',
    });
    expect((await post(bid, 'lift-confirmation')).body.status).toBe('lift_confirmed');
    expect((await post(bid, 'lift-confirmation')).body).toMatchObject({
      code: 'ASSIGNMENT.TRANSITION_NOT_ALLOWED',
      currentStatus: 'lift_confirmed',
    });
  });

  it('applies feedback given during an objection to the status the assignment resumes to', async () => {
    const { entryId, by } = await listed();
    const bid = by['FB-FIN-BID'].id;
    const opened = await platform.api<{ id: string }>('POST', `/v1/list-entries/${entryId}/objections`, {
      token: tokens.court,
      body: { reason: '债务已清偿' },
    });
    expect(opened.status).toBe(201);
    await waitFor(async () => ((await statusIn('enforcement', bid)) === 'suspended' ? true : undefined), {
      message: 'the assignment suspended',
    });
    const acknowledged = await post(bid, 'ack');
    expect(acknowledged.body).toMatchObject({ status: 'suspended', suspendedFrom: 'acknowledged' });
    const upheld = await platform.api('POST', `/v1/objections/${opened.body.id}/resolve`, {
      token: tokens.court,
      body: { outcome: 'upheld', note: '经核查，失信事实成立' },
    });
    expect(upheld.status).toBe(200);
    await waitFor(async () => ((await statusIn('enforcement', bid)) === 'acknowledged' ? true : undefined), {
      message: 'the assignment resumed, acknowledged',
    });
    expect((await post(bid, 'feedback', { outcome: 'enforced', detail: '已否决投标' })).body.status).toBe(
      'enforced',
    );
  });

  it('acknowledges many at once, each id answering for itself', async () => {
    const { by } = await listed();
    const ids = [by['FB-FIN-BID'].id, by['FB-FIN-BOND'].id, by['FB-NDRC'].id];
    await post(ids[1], 'ack');
    await post(ids[1], 'feedback', { outcome: 'enforced', detail: '暂停发债' });
    const res = await platform.api<{ items: { id: string; status?: string; error?: { code: string } }[] }>(
      'POST',
      '/v1/assignments/ack',
      { token: tokens.finance, body: { ids: [...ids, ids[0]] } },
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { id: ids[0], status: 'acknowledged' },
      // already past acknowledgement: nothing to acknowledge, and nothing changed
      { id: ids[1], status: 'enforced' },
      { id: ids[2], error: expect.objectContaining({ code: 'ASSIGNMENT.OTHER_DEPARTMENT', status: 403 }) },
    ]);
    expect(await statusIn('enforcement', ids[2])).toBe('issued');
  });
});
