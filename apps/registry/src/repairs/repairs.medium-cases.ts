import { MediumPlatform } from '../../../../test/support/medium';
import {
  DECISION,
  entry,
  Problem,
  seededRegistry,
  Tokens,
  uscc,
} from '../../../../test/support/medium-registry';

type Application = { id: string; status: string; reason?: string };
const DAY = 86_400_000;

describe('credit repair (信用修复): when it may be applied for and how it is decided', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;
  let n = 0;

  seededRegistry((started, seeded) => void ([platform, tokens] = [started, seeded]));

  /** published `daysAgo` days ago (a serious list may be repaired a year after publication) */
  const inForceSince = (daysAgo: number) =>
    entry(
      platform,
      tokens.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: {
          kind: 'legal_person',
          id: uscc(`MRPR${String((n += 1)).padStart(4, '0')}`),
          name: '某公司',
        },
        decision: DECISION,
        period: {
          from: new Date(Date.now() - daysAgo * DAY).toISOString(),
          to: new Date(Date.now() + (730 - daysAgo) * DAY).toISOString(),
          reason: '测试：公示期起算',
        },
      },
      ['notice', 'publish'],
    );
  const submit = (id: string, token = tokens.court) =>
    platform.api<Application & Problem & Record<string, unknown>>(
      'POST',
      `/v1/list-entries/${id}/repair-applications`,
      {
        token,
        body: {
          statement: '已履行全部义务',
          commitment: { text: '本单位承诺依法诚信经营' },
          conditions: [
            { code: 'obligations_performed', met: true, evidence: '结案证明' },
            { code: 'behaviour_corrected', met: true, evidence: '整改报告' },
          ],
        },
      },
    );
  const accept = (id: string) =>
    platform.api<Application>('POST', `/v1/repair-applications/${id}/accept`, { token: tokens.court });
  const decide = (id: string, body: Record<string, unknown>, token = tokens.court) =>
    platform.api<Application & Problem>('POST', `/v1/repair-applications/${id}/decide`, { token, body });
  const entryStatus = async (id: string) =>
    (
      await platform.api<{ status: string; endReason?: string }>('GET', `/v1/list-entries/${id}`, {
        token: tokens.court,
      })
    ).body;

  it('refuses an application before the shortest publication period, saying from when (REPAIR.TOO_EARLY)', async () => {
    const id = await inForceSince(10);
    const early = await submit(id);
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('REPAIR.TOO_EARLY');
    const earliest = Date.parse(early.body.earliestRepairDate as string);
    expect(Math.abs(earliest - (Date.now() + 355 * DAY))).toBeLessThan(2 * DAY);
    expect(early.body.detail).toContain(String(early.body.earliestRepairDay));
  });

  it('a rejection needs a reason and leaves the entry in force', async () => {
    const id = await inForceSince(400);
    const application = (await submit(id)).body;
    expect(application.status).toBe('submitted');
    expect((await submit(id)).body).toMatchObject({ code: 'REPAIR.ALREADY_PENDING' });
    expect((await decide(application.id, { outcome: 'rejected', reason: 'x' })).body).toMatchObject({
      code: 'REPAIR.TRANSITION_NOT_ALLOWED',
    });
    expect((await accept(application.id)).body.status).toBe('accepted');
    const noReason = await decide(application.id, { outcome: 'rejected' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors?.[0].field).toBe('reason');
    const rejected = await decide(application.id, { outcome: 'rejected', reason: '尚未履行完毕' });
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: '尚未履行完毕' });
    expect((await entryStatus(id)).status).toBe('published');
    expect((await decide(application.id, { outcome: 'approved' })).body).toMatchObject({
      code: 'REPAIR.ALREADY_DECIDED',
    });
  });

  it('an approval by the owner ends the entry as repaired; another department gets 403', async () => {
    const id = await inForceSince(400);
    const application = (await submit(id)).body;
    await accept(application.id);
    expect((await decide(application.id, { outcome: 'approved' }, tokens.tax)).status).toBe(403);
    expect((await decide(application.id, { outcome: 'approved', reason: '同意修复' })).body.status).toBe(
      'approved',
    );
    expect(await entryStatus(id)).toMatchObject({ status: 'ended', endReason: 'repaired' });
    expect((await submit(id)).body).toMatchObject({ code: 'REPAIR.ENTRY_ENDED', status: 409 });
  });

  it('stops the acceptance clock while material is missing; the applicant may withdraw until decided', async () => {
    const id = await inForceSince(400);
    const application = (await submit(id)).body;
    const post = (path: string, body: Record<string, unknown>, token = tokens.court) =>
      platform.api<Application & Problem & Record<string, unknown>>(
        'POST',
        `/v1/repair-applications/${application.id}/${path}`,
        { token, body },
      );
    // only the owner asks for material (RequestRepairMaterialUseCase)
    expect((await post('request-material', { missing: ['缴款凭证'] }, tokens.tax)).status).toBe(403);
    const asked = await post('request-material', { missing: ['缴款凭证'], note: '请补正' });
    expect(asked.body).toMatchObject({
      status: 'material_requested',
      acceptPaused: true,
      acceptDeadline: null,
      acceptDaysLeft: expect.any(Number),
    });
    expect((await accept(application.id)).body).toMatchObject({ code: 'REPAIR.TRANSITION_NOT_ALLOWED' });
    // the owner supplies on the subject's behalf (SupplyRepairMaterialUseCase): the clock runs again
    const supplied = await post('supply-material', { material: '已补充缴款凭证' });
    expect(supplied.body).toMatchObject({ status: 'submitted', acceptPaused: false, acceptDaysLeft: null });
    expect(supplied.body.acceptDeadline).toEqual(expect.any(String));
    expect((supplied.body.materialRequests as { supplied: string }[])[0].supplied).toBe('已补充缴款凭证');
    // withdrawn (WithdrawRepairUseCase): closed, and a new application may follow
    // the applicant or the counter for it withdraws; the owner does not
    expect((await post('withdrawal', { reason: '另行申请' })).status).toBe(403);
    const counter = await platform.token('CREDIT_OFFICE', ['credit_office']);
    const [{ subject_id: onBehalfOf }] = await platform.sql<{ subject_id: string }>(
      `SELECT subject_id FROM registry.list_entries WHERE id = $1`,
      [id],
    );
    const withdrawn = await post('withdrawal', { reason: '另行申请', onBehalfOf }, counter);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', outcome: 'withdrawn' });
    expect((await post('withdrawal', { onBehalfOf }, counter)).body).toMatchObject({
      code: 'REPAIR.NOT_WITHDRAWABLE',
    });
    expect((await submit(id)).body.status).toBe('submitted');
  });
});
