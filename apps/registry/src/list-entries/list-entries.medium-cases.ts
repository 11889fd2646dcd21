import { MediumPlatform } from '../../../../test/support/medium';
import {
  company,
  DECISION,
  entry,
  listTypeBody,
  Problem,
  seededRegistry,
  Tokens,
  uscc,
} from '../../../../test/support/medium-registry';
import { NoticeListEntryUseCase } from './notice-list-entry.usecase';

type EntryView = { id: string; status: string; statementDeadline: string; notice?: Record<string, unknown> };

const courtEntry = (subject: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  listType: 'COURT_DEFAULTER',
  subject,
  decision: DECISION,
  ...extra,
});

describe('list entries (名单认定): the rules of draft, notice, publish and end', () => {
  let platform: MediumPlatform;
  let tokens: Tokens;

  seededRegistry((started, seeded) => void ([platform, tokens] = [started, seeded]));

  const act = (id: string, step: string, token: string, body?: unknown) =>
    platform.api<Problem & EntryView & Record<string, unknown>>('POST', `/v1/list-entries/${id}/${step}`, {
      token,
      body,
    });

  it('draft → noticed → published → ended, each refusing what its state does not allow', async () => {
    const id = await entry(platform, tokens.court, courtEntry(company(uscc('MLF0CYC1'))));
    expect((await act(id, 'publish', tokens.court)).body).toMatchObject({
      code: 'LIST_ENTRY.TRANSITION_NOT_ALLOWED',
      currentStatus: 'draft',
    });
    expect((await act(id, 'end', tokens.court, { reason: 'revoked' })).status).toBe(409);
    expect((await act(id, 'notice', tokens.court, { channel: 'post', note: '挂号信' })).body).toMatchObject({
      status: 'noticed',
      notice: { channel: 'post', note: '挂号信' },
    });
    expect((await act(id, 'notice', tokens.court)).status).toBe(409);
    expect((await act(id, 'publish', tokens.court)).body.status).toBe('published');
    expect((await act(id, 'publish', tokens.court)).status).toBe(409);
    const ended = await act(id, 'end', tokens.court, { reason: 'revoked', note: '判决撤销' });
    expect(ended.body).toMatchObject({ status: 'ended', endReason: 'revoked', endNote: '判决撤销' });
    expect((await act(id, 'end', tokens.court, { reason: 'expired' })).body.code).toBe(
      'LIST_ENTRY.TRANSITION_NOT_ALLOWED',
    );
    expect((await act(id, 'end', tokens.court, { reason: 'forgotten' })).status).toBe(400);
  });

  it("refuses another department's list type and entries with 403, and hides a draft from it", async () => {
    const id = await entry(platform, tokens.court, courtEntry(company(uscc('MWR0NGDP'))));
    for (const step of ['notice', 'publish']) {
      const res = await act(id, step, tokens.tax);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('LIST_ENTRY.NOT_OWNER');
    }
    expect((await platform.api('GET', `/v1/list-entries/${id}`, { token: tokens.tax })).status).toBe(404);
    expect((await platform.api('GET', `/v1/list-entries/${id}`, { token: tokens.supervisor })).status).toBe(
      200,
    );
    const implementer = await platform.token('FINANCE', ['implementer']);
    expect((await platform.api('GET', `/v1/list-entries/${id}`, { token: implementer })).status).toBe(404);
    const taxCreates = await platform.api<Problem>('POST', '/v1/list-entries', {
      token: tokens.tax,
      body: courtEntry(company(uscc('MWR0NGD2'))),
    });
    expect(taxCreates.status).toBe(403);
    expect(taxCreates.body.code).toBe('LIST_ENTRY.NOT_OWNER');
  });

  it('starts the statement period in working days and refuses to publish before it ends', async () => {
    const body = (code: string) => ({
      listType: 'TAX_MAJOR',
      subject: company(uscc(code)),
      decision: DECISION,
    });
    const id = await entry(platform, tokens.tax, body('MTX5D4Y0'));
    // a notice is never dated before its entry: the entry is made to have been drafted the week before
    await platform.sql(
      `UPDATE registry.list_entries SET created_at = '2026-09-18T09:00:00+08:00' WHERE id = $1`,
      [id],
    );
    const noticed = await platform
      .get(NoticeListEntryUseCase)
      .execute(
        { sub: 'tax-user', dept: 'TAX', roles: ['initiator'] },
        id,
        { channel: 'in_person', noticedAt: new Date('2026-09-25T10:00:00+08:00').toISOString() },
        new Date('2026-09-26T09:00:00+08:00'),
      );
    // working days after Fri 25 Sep 2026: Mon 28, Tue 29, Wed 30, (1–7 Oct National Day), Thu 8, Fri 9
    expect(noticed.statementDeadline).toBe(new Date('2026-10-09T10:00:00+08:00').toISOString());
    expect(noticed.notice).toMatchObject({ reasons: DECISION.facts, legalBasis: 'basis' });

    const later = await entry(platform, tokens.tax, body('MTX5D4Y1'), ['notice']);
    const early = await act(later, 'publish', tokens.tax);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('LIST_ENTRY.STATEMENT_PERIOD_OPEN');

    const draft = await entry(platform, tokens.tax, body('MTX5D4Y2'));
    const future = await act(draft, 'notice', tokens.tax, {
      noticedAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('LIST_ENTRY.NOTICE_IN_FUTURE');
  });

  it('refuses a period outside the severity band', async () => {
    const res = await platform.api<Problem>('POST', '/v1/list-entries', {
      token: tokens.court,
      body: courtEntry(company(uscc('MPER10D0')), {
        period: { from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' },
      }),
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('LIST_ENTRY.PERIOD_OUTSIDE_SEVERITY_BAND');
  });

  it('refuses a second overlapping entry of the same list type for a subject, until the first ends', async () => {
    const subject = company(uscc('M0WERLA0'));
    const first = await entry(platform, tokens.court, courtEntry(subject), ['notice', 'publish']);
    const second = await entry(platform, tokens.court, courtEntry(subject), ['notice']);
    const refused = await act(second, 'publish', tokens.court);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'LIST_ENTRY.OVERLAPPING', overlappingEntryId: first });
    // another list type for the same subject is fine (a recent decision: its 30 days are not over)
    const recent = { ...DECISION, date: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) };
    await entry(platform, tokens.tax, { listType: 'LATE_FILING', subject, decision: recent }, [
      'notice',
      'publish',
    ]);
    await act(first, 'end', tokens.court, { reason: 'repaired' });
    expect((await act(second, 'publish', tokens.court)).body.status).toBe('published');
  });

  it("extends a published entry within its list type's terms, by its owner only (ExtendListEntryUseCase)", async () => {
    const listType = await platform.api('POST', '/v1/list-types', {
      token: tokens.admin,
      body: {
        ...listTypeBody('COURT_EXTENDABLE', 'COURT', 'serious', 730, 0),
        extension: { minDays: 30, maxDays: 365, maxTimes: 1 },
      },
    });
    expect(listType.status).toBe(201);
    const body = (days: number) => ({
      days,
      document: { documentNo: '(2026)浙0106执恢1号', date: '2026-11-01' },
      reason: '以暴力方法抗拒执行，情节严重',
    });
    const draft = await entry(platform, tokens.court, {
      ...courtEntry(company(uscc('MLFEXT01'))),
      listType: 'COURT_EXTENDABLE',
    });
    expect((await act(draft, 'extensions', tokens.court, body(60))).body.code).toBe(
      'LIST_ENTRY.TRANSITION_NOT_ALLOWED',
    );
    const id = await entry(
      platform,
      tokens.court,
      { ...courtEntry(company(uscc('MLFEXT02'))), listType: 'COURT_EXTENDABLE' },
      ['notice', 'publish'],
    );
    expect((await act(id, 'extensions', tokens.tax, body(60))).status).toBe(403);
    expect((await act(id, 'extensions', tokens.court, body(10))).body.code).toBe(
      'LIST_ENTRY.EXTENSION_OUT_OF_RANGE',
    );
    const extended = await act(id, 'extensions', tokens.court, body(60));
    expect(extended.status).toBe(201);
    const { previousPeriod, period } = extended.body as unknown as {
      previousPeriod: { to: string };
      period: { to: string };
    };
    expect(new Date(period.to).getTime() - new Date(previousPeriod.to).getTime()).toBe(60 * 86_400_000);
    expect((await act(id, 'extensions', tokens.court, body(60))).body.code).toBe(
      'LIST_ENTRY.EXTENSION_LIMIT_REACHED',
    );
    // a list type without extension terms allows none
    const plain = await entry(platform, tokens.court, courtEntry(company(uscc('MLFEXT03'))), [
      'notice',
      'publish',
    ]);
    expect((await act(plain, 'extensions', tokens.court, body(60))).body.code).toBe(
      'LIST_ENTRY.NOT_EXTENDABLE',
    );
  });
});
