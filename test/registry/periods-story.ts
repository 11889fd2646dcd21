import { Role } from '@credit/contracts';
import { waitFor } from '../support/infra';
import { api, ServiceName } from '../support/services';
import { idNumber, uscc } from './registry-fixtures';

/** What the rules need of a running platform: where each service answers, tokens, and the expiry job. */
export interface PeriodsPlatform {
  url: Record<ServiceName, string>;
  token(dept: string, roles: Role[]): Promise<string>;
  /** one expiry pass now, where the test can reach the job; otherwise the platform's interval runs it */
  expire?: () => Promise<void>;
  close(): Promise<void>;
}

type Problem = { code: string; errors?: { field: string }[] };
type EntryView = {
  id: string;
  status: string;
  period: { from: string; to: string | null; reason?: string } | null;
  openEnded: boolean;
  extensions: number;
  endReason: string | null;
  endNote: string | null;
  statementDeadline: string | null;
  notice: { channel: string } | null;
};
type Assignment = { id: string; status: string; measureCode: string; period: { to: string } | null };

const DAY_MS = 86_400_000;
const chinaMidnight = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() + 8 * 3_600_000 - n * DAY_MS).toISOString().slice(0, 10);

/**
 * Periods and exits as the law sets them (issue 14, decision 0033), run against the distributed layout
 * (periods.e2e-cases.ts) and the embedded mode (periods.embedded.e2e-cases.ts). Each test names its rule.
 */
export function describePeriodsAndExits(title: string, start: () => Promise<PeriodsPlatform>): void {
  describe(`periods and exits as the law sets them, ${title}`, () => {
    let platform: PeriodsPlatform;
    const t: Record<string, string> = {};
    const registry = () => platform.url.registry;

    const company = (body8: string, name = `公司${body8}`) => ({
      kind: 'legal_person',
      id: uscc(body8),
      name,
    });
    const decision = (date: string, documentNo = `(${date.slice(0, 4)})浙0106执${date}号`) => ({
      documentNo,
      date,
      facts: '有履行能力而拒不履行生效法律文书确定义务',
    });

    const create = (token: string, body: Record<string, unknown>) =>
      api<EntryView & Problem>('POST', `${registry()}/v1/list-entries`, { token, body });
    const step = (token: string, id: string, what: 'notice' | 'publish') =>
      api<EntryView & Problem>('POST', `${registry()}/v1/list-entries/${id}/${what}`, { token });
    const get = (token: string, id: string) =>
      api<EntryView>('GET', `${registry()}/v1/list-entries/${id}`, { token });
    /** creates, notices and publishes; the entry as published */
    const published = async (token: string, body: Record<string, unknown>) => {
      const created = await create(token, body);
      if (created.status !== 201)
        throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
      await step(token, created.body.id, 'notice');
      const res = await step(token, created.body.id, 'publish');
      if (res.status !== 200) throw new Error(`publish: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const assignments = async (entryId: string) =>
      (
        await api<{ items: Assignment[] }>(
          'GET',
          `${platform.url.trigger}/v1/assignments?entryId=${entryId}`,
          {
            token: t.supervisor,
          },
        )
      ).body.items ?? [];
    const upload = async (query: string, rows: string[][], token = t.court) => {
      const text = rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');
      const response = await fetch(`${registry()}/v1/list-entries/imports?${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body: text,
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          accepted: number;
          rejected: number;
          rejections: { row: number; field: string; code: string; message: string }[];
        },
      };
    };

    const listTypeBody = (code: string, colour: string) => ({
      code,
      name: code,
      colour,
      ownerDept: 'TAX',
      legalBasis: 'basis',
      infoClass: 'A',
      severity: 'general',
      defaultPeriodDays: 365,
      subjectKinds: ['legal_person'],
      noticeWorkingDays: 0,
      suspendOnObjection: false,
    });

    beforeAll(async () => {
      platform = await start();
      for (const [name, dept, role] of [
        ['admin', 'CREDIT_OFFICE', 'admin'],
        ['supervisor', 'CREDIT_OFFICE', 'supervisor'],
        ['court', 'COURT', 'initiator'],
        ['tax', 'TAX', 'initiator'],
      ] as const) {
        t[name] = await platform.token(dept, [role]);
      }
      for (const code of ['COURT', 'TAX', 'FINANCE']) {
        const res = await api('POST', `${registry()}/v1/departments`, {
          token: t.admin,
          body: { code, name: code, region: '330100' },
        });
        if (res.status !== 201) throw new Error(`department ${code}: ${res.status}`);
      }
      // a department registered a moment ago is accepted within seconds
      await waitFor(
        async () => (await api('GET', `${registry()}/v1/list-types`, { token: t.tax })).status === 200,
        {
          message: 'the new departments accepted',
        },
      );
      const listType = (code: string, owner: string, colour: string, severity: string, days: number) => ({
        code,
        name: code,
        colour,
        ownerDept: owner,
        legalBasis: 'basis',
        infoClass: 'A',
        severity,
        defaultPeriodDays: days,
        subjectKinds: ['legal_person', 'individual'],
        noticeWorkingDays: 0,
        minStatementWorkingDays: 0,
        minStatementReason: 'test: published at once',
        suspendOnObjection: false,
      });
      for (const body of [
        {
          // 失信被执行人: two years, extendable once by one to three; open-ended allowed; no minors
          ...listType('COURT_DEFAULTER', 'COURT', 'black', 'serious', 730),
          openEndedAllowed: true,
          extension: { minDays: 365, maxDays: 1095 },
          excludedSubjects: ['minors'],
        },
        listType('TAX_MAJOR', 'TAX', 'black', 'general', 365),
        listType('LATE_FILING', 'TAX', 'black', 'minor', 30),
        { ...listType('TAX_A_GRADE', 'TAX', 'red', 'general', 365), endsOnBlackListing: true },
        listType('HONEST', 'TAX', 'red', 'general', 365),
      ]) {
        const res = await api('POST', `${registry()}/v1/list-types`, { token: t.admin, body });
        if (res.status !== 201)
          throw new Error(`list type ${body.code}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const measure = (code: string, kind: string, mode: string, action: string) => ({
        code,
        text: code,
        kind,
        dept: 'FINANCE',
        legalBasis: '《中华人民共和国民事诉讼法》第二百六十六条',
        subjectKinds: ['legal_person', 'individual'],
        actions: [action],
        mode,
        feedbackWorkingDays: 5,
      });
      for (const body of [
        {
          code: 'MOU-PERIODS-RED',
          title: '守信激励',
          documentNo: 'r',
          listTypes: ['TAX_A_GRADE', 'HONEST'],
          measures: [measure('GREEN_CHANNEL', 'incentive', 'priority', 'subsidy_application')],
        },
        {
          code: 'MOU-PERIODS-BLACK',
          title: '失信惩戒',
          documentNo: 'b',
          listTypes: ['COURT_DEFAULTER'],
          measures: [measure('NO_SUBSIDY', 'punishment', 'block', 'subsidy_application')],
        },
      ]) {
        const res = await api('POST', `${platform.url.trigger}/v1/memoranda`, { token: t.admin, body });
        if (res.status !== 201)
          throw new Error(`memorandum ${body.code}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }, 180_000);

    afterAll(async () => {
      await platform?.close();
    });

    it('decision-date periods: the period counts from the decision date, not from publication; another start needs a reason', async () => {
      const entry = await published(t.court, {
        listType: 'COURT_DEFAULTER',
        subject: company('DEC1D001'),
        decision: decision('2026-11-02'),
      });
      expect(entry.period).toEqual({
        from: chinaMidnight('2026-11-02'),
        to: new Date(Date.parse(chinaMidnight('2026-11-02')) + 730 * DAY_MS).toISOString(),
      });

      const period = { from: '2026-11-20T00:00:00+08:00', to: '2028-11-20T00:00:00+08:00' };
      const unexplained = await create(t.court, {
        listType: 'COURT_DEFAULTER',
        subject: company('DEC1D002'),
        decision: decision('2026-11-02'),
        period,
      });
      expect(unexplained.status).toBe(422);
      expect(unexplained.body).toMatchObject({
        code: 'LIST_ENTRY.PERIOD_START_NEEDS_REASON',
        errors: [expect.objectContaining({ field: 'period.reason' })],
      });
      const explained = await create(t.court, {
        listType: 'COURT_DEFAULTER',
        subject: company('DEC1D002'),
        decision: decision('2026-11-02'),
        period: { ...period, reason: '判决于2026-11-20生效' },
      });
      expect(explained.status).toBe(201);
      expect(explained.body.period).toMatchObject({ reason: '判决于2026-11-20生效' });

      // a 30-day listing decided two months ago is over before it could be published
      const late = await create(t.tax, {
        listType: 'LATE_FILING',
        subject: company('DEC1D003'),
        decision: decision(daysAgo(60)),
      });
      await step(t.tax, late.body.id, 'notice');
      const refused = await step(t.tax, late.body.id, 'publish');
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('LIST_ENTRY.PERIOD_OVER');
    });

    it('open-ended never expires: an entry until the obligation is performed outlives the expiry job', async () => {
      const refused = await create(t.tax, {
        listType: 'TAX_MAJOR',
        subject: company('0PENEND0'),
        decision: decision(today()),
        openEnded: true,
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('LIST_ENTRY.OPEN_ENDED_NOT_ALLOWED');

      const open = await published(t.court, {
        listType: 'COURT_DEFAULTER',
        subject: company('0PENEND1'),
        decision: decision('2020-03-01'), // long past any fixed period of the list type
        openEnded: true,
      });
      expect(open).toMatchObject({ status: 'published', openEnded: true });
      expect(open.period).toEqual({ from: chinaMidnight('2020-03-01'), to: null });
      const looked = await api<{ entries: { id: string; to: string | null; openEnded: boolean }[] }>(
        'GET',
        `${registry()}/v1/subjects/${company('0PENEND1').id}`,
        { token: t.supervisor },
      );
      expect(looked.body.entries).toEqual([
        expect.objectContaining({ id: open.id, to: null, openEnded: true }),
      ]);
      const issued = await waitFor(
        async () => {
          const items = await assignments(open.id);
          return items.length > 0 ? items : undefined;
        },
        { message: 'the open-ended entry fanned out' },
      );
      expect(issued[0].period!.to).toBe('9999-12-31T23:59:59.999Z');

      // a fixed period that ends in a few seconds is ended by the job; the open-ended one stays
      const fixed = await published(t.tax, {
        listType: 'LATE_FILING',
        subject: company('0PENEND2'),
        decision: decision(daysAgo(1)),
        period: {
          from: chinaMidnight(daysAgo(1)),
          to: new Date(Date.now() + 3_000).toISOString(),
        },
      });
      await waitFor(
        async () => {
          await platform.expire?.();
          return (await get(t.tax, fixed.id)).body.status === 'ended';
        },
        { message: 'the fixed period expired', timeoutMs: 30_000 },
      );
      expect((await get(t.tax, fixed.id)).body.endReason).toBe('expired');
      expect((await get(t.court, open.id)).body.status).toBe('published');
    });

    it('extension: the court list extends once by one to three years, as an amendment with its document; other lists 422', async () => {
      const entry = await published(t.court, {
        listType: 'COURT_DEFAULTER',
        subject: company('EXTEND01'),
        decision: decision('2026-11-05'),
      });
      const extend = (id: string, days: number, token = t.court) =>
        api<Problem & { period: { to: string }; previousPeriod: { to: string }; extensions: number }>(
          'POST',
          `${registry()}/v1/list-entries/${id}/extensions`,
          {
            token,
            body: {
              days,
              document: { documentNo: '(2026)浙0106执恢1号', date: '2026-12-01' },
              reason: '以暴力方法抗拒执行',
            },
          },
        );
      const short = await extend(entry.id, 100);
      expect(short.status).toBe(422);
      expect(short.body.code).toBe('LIST_ENTRY.EXTENSION_OUT_OF_RANGE');

      const extended = await extend(entry.id, 365);
      expect(extended.status).toBe(201);
      const newTo = new Date(Date.parse(entry.period!.to!) + 365 * DAY_MS).toISOString();
      expect(extended.body).toMatchObject({
        previousPeriod: { to: entry.period!.to },
        period: { to: newTo },
        extensions: 1,
      });
      expect((await get(t.court, entry.id)).body).toMatchObject({ period: { to: newTo }, extensions: 1 });
      const history = await api<{
        items: { changed: string[]; reason: string; after: { extension: { documentNo: string } } }[];
      }>('GET', `${registry()}/v1/list-entries/${entry.id}/amendments`, { token: t.court });
      expect(history.body.items).toEqual([
        expect.objectContaining({
          changed: ['period'],
          reason: '以暴力方法抗拒执行',
          after: expect.objectContaining({
            extension: { documentNo: '(2026)浙0106执恢1号', date: '2026-12-01', days: 365 },
          }),
        }),
      ]);
      // the amendment's own event, with its document, in the entry's trail
      await waitFor(
        async () => {
          const trail = await api<{
            items: { type: string; data: { extension?: { documentNo: string } } }[];
          }>('GET', `${platform.url.tracking}/v1/list-entries/${entry.id}/trail`, { token: t.supervisor });
          return (trail.body.items ?? []).some(
            (i) =>
              i.type === 'credit.list-entry.amended.v1' &&
              i.data.extension?.documentNo === '(2026)浙0106执恢1号',
          );
        },
        { message: 'the extension in the trail' },
      );
      // the measures are re-issued with the new end
      await waitFor(
        async () =>
          (await assignments(entry.id)).some((a) => a.status !== 'lifted' && a.period?.to === newTo),
        { message: 'assignments re-issued until the extended end' },
      );

      expect((await extend(entry.id, 365)).body.code).toBe('LIST_ENTRY.EXTENSION_LIMIT_REACHED');
      const badBounds = await api<Problem>('POST', `${registry()}/v1/list-types`, {
        token: t.admin,
        body: { ...listTypeBody('BAD_EXTENSION', 'black'), extension: { minDays: 1095, maxDays: 365 } },
      });
      expect(badBounds.status).toBe(422);
      expect(badBounds.body.code).toBe('LIST_TYPE.EXTENSION_BOUNDS_INVALID');
      const tax = await published(t.tax, {
        listType: 'TAX_MAJOR',
        subject: company('EXTEND02'),
        decision: decision(today()),
      });
      const notExtendable = await extend(tax.id, 365, t.tax);
      expect(notExtendable.status).toBe(422);
      expect(notExtendable.body.code).toBe('LIST_ENTRY.NOT_EXTENDABLE');
      const open = await published(t.court, {
        listType: 'COURT_DEFAULTER',
        subject: company('EXTEND03'),
        decision: decision('2026-11-05'),
        openEnded: true,
      });
      expect((await extend(open.id, 365)).body.code).toBe('LIST_ENTRY.NOT_EXTENDABLE');
    });

    it('minors excluded: the court list refuses a person under 18 by the birth date in the ID number, also in imports', async () => {
      const minor = { kind: 'individual', id: idNumber('20100315', '231'), name: '王某' };
      const refused = await create(t.court, {
        listType: 'COURT_DEFAULTER',
        subject: minor,
        decision: decision(today()),
      });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        code: 'LIST_ENTRY.SUBJECT_EXCLUDED',
        errors: [expect.objectContaining({ field: 'subject.id' })],
      });
      const adult = { kind: 'individual', id: idNumber('19900315', '231'), name: '王某某' };
      expect(
        (await create(t.court, { listType: 'COURT_DEFAULTER', subject: adult, decision: decision(today()) }))
          .status,
      ).toBe(201);
      // the same person may be on a list type without the exclusion
      expect(
        (await create(t.tax, { listType: 'TAX_MAJOR', subject: minor, decision: decision(today()) })).status,
      ).toBe(201);

      const header = ['subjectKind', 'subjectId', 'subjectName', 'documentNo', 'decisionDate', 'facts'];
      const imported = await upload('listType=COURT_DEFAULTER&mode=draft', [
        header,
        ['individual', idNumber('20110101', '232'), '李某', 'd1', today(), 'f'],
        ['individual', idNumber('19850101', '232'), '李某某', 'd2', today(), 'f'],
      ]);
      expect(imported.status).toBe(201);
      expect(imported.body).toMatchObject({ accepted: 1, rejected: 1 });
      expect(imported.body.rejections).toEqual([
        expect.objectContaining({ row: 1, field: 'subjectId', code: 'LIST_ENTRY.SUBJECT_EXCLUDED' }),
      ]);
    });

    it('red revoked by black: a black listing ends the red entries that say so at once, and their incentives lift', async () => {
      const subject = company('REDBLACK');
      const red = await published(t.tax, { listType: 'TAX_A_GRADE', subject, decision: decision(today()) });
      const honest = await published(t.tax, { listType: 'HONEST', subject, decision: decision(today()) });
      await waitFor(async () => (await assignments(red.id)).some((a) => a.status === 'issued'), {
        message: 'the incentive issued',
      });

      const black = await published(t.court, {
        listType: 'COURT_DEFAULTER',
        subject,
        decision: decision(today()),
      });
      const ended = (await get(t.tax, red.id)).body;
      expect(ended).toMatchObject({ status: 'ended', endReason: 'revoked' });
      expect(ended.endNote).toContain(black.id);
      // a red list type that does not say so keeps its entry
      expect((await get(t.tax, honest.id)).body.status).toBe('published');
      await waitFor(
        async () => {
          const items = await assignments(red.id);
          return items.length > 0 && items.every((a) => a.status === 'lifted');
        },
        { message: 'the incentive lifted' },
      );

      // while the black entry is in force, that red list takes the subject no more
      const again = await create(t.tax, { listType: 'TAX_A_GRADE', subject, decision: decision(today()) });
      await step(t.tax, again.body.id, 'notice');
      const refused = await step(t.tax, again.body.id, 'publish');
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('LIST_ENTRY.SUBJECT_BLACK_LISTED');

      // only a red list ends on a black listing
      const blackFlag = await api<Problem>('POST', `${registry()}/v1/list-types`, {
        token: t.admin,
        body: { ...listTypeBody('BAD_BLACK', 'black'), endsOnBlackListing: true },
      });
      expect(blackFlag.status).toBe(422);
      expect(blackFlag.body.code).toBe('LIST_TYPE.ENDS_ON_BLACK_LISTING_RED_ONLY');

      // a black listing by bulk import does the same
      const imported = company('REDBLAC2');
      const red2 = await published(t.tax, {
        listType: 'TAX_A_GRADE',
        subject: imported,
        decision: decision(today()),
      });
      const res = await upload('listType=COURT_DEFAULTER&mode=publish', [
        [
          'subjectKind',
          'subjectId',
          'subjectName',
          'documentNo',
          'decisionDate',
          'facts',
          'noticedAt',
          'noticeChannel',
        ],
        [
          'legal_person',
          imported.id,
          imported.name,
          'd',
          daysAgo(1),
          'f',
          new Date(Date.now() - 3_600_000).toISOString(),
          'post',
        ],
      ]);
      expect(res.body).toMatchObject({ accepted: 1, rejected: 0 });
      const ended2 = (await get(t.tax, red2.id)).body;
      expect(ended2).toMatchObject({ status: 'ended', endReason: 'revoked' });
    });

    it('imports without notice refused: publish mode needs the notice time and channel, or imports as noticed', async () => {
      const header = [
        'subjectKind',
        'subjectId',
        'subjectName',
        'documentNo',
        'decisionDate',
        'facts',
        'noticedAt',
        'noticeChannel',
      ];
      const told = new Date(Date.now() - 3_600_000).toISOString();
      const row = (body8: string, noticedAt: string, channel: string) => {
        const c = company(body8);
        return ['legal_person', c.id, c.name, `d-${body8}`, daysAgo(2), 'f', noticedAt, channel];
      };
      const res = await upload('listType=COURT_DEFAULTER&mode=publish', [
        header,
        row('N0T1CE01', '', ''),
        row('N0T1CE02', told, ''),
        row('N0T1CE03', told, 'post'),
      ]);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ accepted: 1, rejected: 2 });
      expect(res.body.rejections.map(({ row: r, field, code }) => ({ row: r, field, code }))).toEqual([
        { row: 1, field: 'noticedAt', code: 'IMPORT.NOTICE_REQUIRED' },
        { row: 2, field: 'noticeChannel', code: 'IMPORT.NOTICE_REQUIRED' },
      ]);
      expect(res.body.rejections[0].message).toMatch(/notice/);

      const noticed = await upload(
        'listType=TAX_MAJOR&mode=notice',
        [header, row('N0T1CE04', '', 'sms')],
        t.tax,
      );
      expect(noticed.body).toMatchObject({ accepted: 1, rejected: 0 });
      const subject = await api<{ entries: { id: string; status: string }[] }>(
        'GET',
        `${registry()}/v1/subjects/${company('N0T1CE04').id}`,
        { token: t.supervisor },
      );
      const [entry] = subject.body.entries;
      expect(entry.status).toBe('noticed');
      expect((await get(t.supervisor, entry.id)).body).toMatchObject({ notice: { channel: 'sms' } });
    });
  });
}
