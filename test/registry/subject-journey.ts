import { mintToken } from '@credit/auth';
import { loadBundledCalendar } from '@credit/calendar';
import { Role } from '@credit/contracts';
import { waitFor } from '../support/infra';
import { api, ServiceName } from '../support/services';
import { DECISION, idNumber, uscc } from './registry-fixtures';

/** What the journey needs of a running platform, in the distributed or the embedded mode. */
export interface JourneyPlatform {
  url: Record<ServiceName, string>;
  token(dept: string, roles: Role[]): Promise<string>;
  jwtSecret: string;
  /** distributed mode only: runs SQL on the platform's database (moving a deadline into the past) */
  sql?: (text: string, params: unknown[]) => Promise<void>;
  close(): Promise<void>;
}

type Problem = { code?: string; status?: number; errors?: { field: string }[] };
type Statement = {
  id: string;
  receiptNo: string;
  receivedAt: string;
  status: string;
  filedBy: { role: string; onBehalfOf: string };
};
type Entry = {
  id: string;
  status: string;
  statementDeadline: string;
  endReason: string | null;
  notice: { reasons: string; legalBasis: string; rights: string; statementDeadline: string };
};
type RecordEntry = {
  id: string;
  relation: string;
  status: string;
  endReason: string | null;
  earliestRepairDate: string | null;
  repairConditions: { code: string }[];
  statements: { receiptNo: string; status: string; reply: string | null }[];
  objections: { receiptNo: string; status: string; resolutionNote: string | null }[];
  next: {
    statement: { allowed: boolean; until: string | null };
    objection: { allowed: boolean };
    repair: { allowed: boolean; from: string | null };
  };
};
type SubjectRecord = {
  entries: RecordEntry[];
  measures: { entryId: string; dept: string; measureCode: string; as: string; until: string }[];
};

/**
 * The listed subject as a party (decision 0024): notice → statement → objection → record, with each
 * rule and each error code, against a platform in either mode. Every run uses fresh identifiers.
 */
const calendar = loadBundledCalendar();

export function describeSubjectJourney(
  name: string,
  setup: () => Promise<JourneyPlatform>,
  /** whether the platform gives `sql` (the distributed mode): then the rules that need time to pass run too */
  withDatabase: boolean,
) {
  describe(`the subject's journey ${name}`, () => {
    let p: JourneyPlatform;
    const t = {} as Record<'admin' | 'court' | 'counter' | 'supervisor', string>;
    const run = String(Math.floor(Math.random() * 10_000)).padStart(4, '0');
    const company = uscc(`PJ${run}01`); // GB 32100 letters: no I, O, S, V, Z
    const other = uscc(`PJ${run}02`);
    const representative = idNumber('19800101', String(100 + Math.floor(Math.random() * 800)));
    const subjectToken = (id: string) => mintToken({ sub: id, dept: '', roles: ['subject'] }, p.jwtSecret);
    const me = {} as Record<'company' | 'other' | 'representative', string>;
    const registry = () => p.url.registry;
    const call = <T = Problem>(method: string, path: string, token: string, body?: unknown) =>
      api<T & Problem>(method, `${registry()}${path}`, { token, body });

    const draft = async (listType: string, extra: Record<string, unknown> = {}) => {
      const res = await call<{ id: string }>('POST', '/v1/list-entries', t.court, {
        listType,
        subject: { kind: 'legal_person', id: company, name: '杭州某某科技有限公司' },
        decision: DECISION,
        ...extra,
      });
      expect(res.status).toBe(201);
      return res.body.id;
    };
    const notice = (id: string, body: unknown = {}) =>
      call<Entry>('POST', `/v1/list-entries/${id}/notice`, t.court, body);
    const state = (id: string, token: string, body: Record<string, unknown> = {}) =>
      call<Statement>('POST', `/v1/list-entries/${id}/statements`, token, {
        content: '该笔款项已于判决前支付，附转账凭证',
        ...body,
      });
    const answer = (id: string, body: unknown) =>
      call<Statement>('POST', `/v1/statements/${id}/answer`, t.court, body);
    const record = (token: string) => call<SubjectRecord>('GET', '/v1/me/record', token);
    const trailTypes = async (entryId: string) =>
      (
        await api<{ items?: { type: string }[] }>(
          'GET',
          `${p.url.tracking}/v1/list-entries/${entryId}/trail`,
          { token: t.supervisor },
        )
      ).body.items?.map((r) => r.type) ?? [];

    beforeAll(async () => {
      p = await setup();
      t.admin = await p.token('CREDIT_OFFICE', ['admin']);
      t.counter = await p.token('CREDIT_OFFICE', ['credit_office']);
      t.supervisor = await p.token('CREDIT_OFFICE', ['supervisor']);
      me.company = await subjectToken(company);
      me.other = await subjectToken(other);
      me.representative = await subjectToken(representative);
      for (const code of ['COURT', 'POLICE', 'FINANCE']) {
        const res = await api('POST', `${registry()}/v1/departments`, {
          token: t.admin,
          body: { code, name: code, region: '330100' },
        });
        expect([201, 409]).toContain(res.status);
      }
      t.court = await p.token('COURT', ['initiator']);
      const listType = (code: string, extra: Record<string, unknown>) => ({
        code,
        name: code,
        colour: 'black',
        ownerDept: 'COURT',
        legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
        infoClass: 'B',
        severity: 'serious',
        defaultPeriodDays: 730,
        subjectKinds: ['legal_person'],
        suspendOnObjection: false,
        ...extra,
      });
      for (const body of [
        listType('SJ_SERIOUS', { noticeWorkingDays: 5 }),
        listType('SJ_QUICK', {
          noticeWorkingDays: 0,
          minStatementWorkingDays: 0,
          minStatementReason: '司法程序送达，适用司法纠正程序',
        }),
      ]) {
        const res = await api('POST', `${registry()}/v1/list-types`, { token: t.admin, body });
        expect([201, 409]).toContain(res.status);
      }
      const measure = (code: string, dept: string, extra: Record<string, unknown>) => ({
        code,
        text: code,
        kind: 'punishment',
        dept,
        legalBasis: '《中华人民共和国民事诉讼法》第二百六十六条',
        subjectKinds: ['legal_person'],
        mode: 'block',
        feedbackWorkingDays: 5,
        ...extra,
      });
      const memorandum = await api('POST', `${p.url.trigger}/v1/memoranda`, {
        token: t.admin,
        body: {
          code: 'MOU-SJ',
          title: 't',
          documentNo: 'd',
          listTypes: ['SJ_SERIOUS', 'SJ_QUICK'],
          measures: [
            measure('SJ-FIN-BID', 'FINANCE', { actions: ['government_procurement_bid'] }),
            measure('SJ-POL-EXIT', 'POLICE', {
              actions: ['exit_entry'],
              relatedRoles: ['legal_representative'],
            }),
          ],
        },
      });
      expect([201, 409]).toContain(memorandum.status);
    }, 180_000);

    afterAll(async () => {
      await p?.close();
    });

    describe('notice (告知)', () => {
      it('refuses a serious black list type whose statement period is short, unless its basis says why', async () => {
        const base = {
          name: 'x',
          colour: 'black',
          ownerDept: 'COURT',
          legalBasis: 'b',
          infoClass: 'A',
          severity: 'serious',
          defaultPeriodDays: 730,
          subjectKinds: ['legal_person'],
          suspendOnObjection: false,
        };
        const short = await api<Problem>('POST', `${registry()}/v1/list-types`, {
          token: t.admin,
          body: { ...base, code: `SJ_SHORT_${run}`, noticeWorkingDays: 3 },
        });
        expect(short.status).toBe(422);
        expect(short.body.code).toBe('LIST_TYPE.STATEMENT_PERIOD_TOO_SHORT');
        const noReason = await api<Problem>('POST', `${registry()}/v1/list-types`, {
          token: t.admin,
          body: { ...base, code: `SJ_NOREASON_${run}`, noticeWorkingDays: 0, minStatementWorkingDays: 0 },
        });
        expect(noReason.status).toBe(422);
        expect(noReason.body.code).toBe('LIST_TYPE.STATEMENT_MINIMUM_NEEDS_REASON');
        expect(noReason.body.errors?.[0].field).toBe('minStatementReason');
        const serious = await api<{ minStatementWorkingDays: number }>(
          'GET',
          `${registry()}/v1/list-types/SJ_SERIOUS`,
          { token: t.admin },
        );
        expect(serious.body.minStatementWorkingDays).toBe(5);
      });

      it('carries the reasons, the legal basis, the rights and a deadline at least 5 working days on', async () => {
        const id = await draft('SJ_SERIOUS');
        const before = await notice(id, { noticedAt: new Date(Date.now() - 3_600_000).toISOString() });
        expect(before.status).toBe(422);
        expect(before.body.code).toBe('LIST_ENTRY.NOTICE_BEFORE_CREATION');
        const asked = new Date();
        const noticed = await notice(id, { reasons: '拒不履行生效判决', channel: 'post' });
        expect(noticed.status).toBe(200);
        const deadline = new Date(noticed.body.statementDeadline);
        // five working days of the official calendar after the notice's day (Beijing); not "seven calendar
        // days": from a Saturday or Sunday five working days end six or five days on
        expect(deadline.getTime()).toBeGreaterThan(asked.getTime());
        expect(calendar.workingDaysBetween(asked, deadline)).toBeGreaterThanOrEqual(5);
        expect(noticed.body.notice).toMatchObject({
          reasons: '拒不履行生效判决',
          legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
          statementDeadline: noticed.body.statementDeadline,
        });
        expect(noticed.body.notice.rights).toMatch(/陈述、申辩/);
        await waitFor(async () => (await trailTypes(id)).includes('credit.list-entry.noticed.v1'), {
          message: 'the notice in the trail',
        });
      });

      // needs an entry created long ago: the distributed mode's database is told so
      if (withDatabase)
        it('is not dated back further than NOTICE_MAX_BACKDATE_DAYS', async () => {
          const id = await draft('SJ_SERIOUS');
          await p.sql!(
            `UPDATE registry.list_entries SET created_at = now() - interval '30 days' WHERE id = $1`,
            [id],
          );
          const far = await notice(id, { noticedAt: new Date(Date.now() - 8 * 86_400_000).toISOString() });
          expect(far.status).toBe(422);
          expect(far.body.code).toBe('LIST_ENTRY.NOTICE_BACKDATED_TOO_FAR');
          const near = await notice(id, { noticedAt: new Date(Date.now() - 6 * 86_400_000).toISOString() });
          expect(near.status).toBe(200);
        });
    });

    describe('statements (陈述申辩)', () => {
      it('takes statements from the subject and the counter with a receipt; publishing waits for answers', async () => {
        const id = await draft('SJ_SERIOUS');
        expect((await notice(id)).status).toBe(200);

        const own = await state(id, me.company);
        expect(own.status).toBe(201);
        expect(own.body.receiptNo).toMatch(/^ST-\d{8}-[0-9A-Z]{8}$/);
        expect(own.body.filedBy).toMatchObject({ role: 'subject', onBehalfOf: company });
        expect(Date.parse(own.body.receivedAt)).toBeGreaterThan(Date.now() - 60_000);

        // not a party: another subject, the counter without naming whom it acts for, an unknown entry
        for (const [token, body, path] of [
          [me.other, {}, id],
          [t.counter, {}, id],
          [t.counter, { onBehalfOf: other }, id],
          [me.company, {}, '00000000-0000-4000-8000-000000000000'],
        ] as const) {
          const refused = await state(path, token, body);
          expect({ status: refused.status, code: refused.body.code }).toEqual({
            status: 403,
            code: 'SUBJECT.NOT_A_PARTY',
          });
        }
        const counter = await state(id, t.counter, { onBehalfOf: company.toLowerCase() });
        expect(counter.status).toBe(201);
        expect(counter.body.filedBy).toMatchObject({ role: 'credit_office', onBehalfOf: company });

        const listed = await call<{ items: Statement[] }>(
          'GET',
          `/v1/list-entries/${id}/statements`,
          me.company,
        );
        expect(listed.body.items.map((s) => s.receiptNo)).toEqual([
          own.body.receiptNo,
          counter.body.receiptNo,
        ]);
        const peek = await call('GET', `/v1/list-entries/${id}/statements`, me.other);
        expect({ status: peek.status, code: peek.body.code }).toEqual({
          status: 403,
          code: 'SUBJECT.NOT_A_PARTY',
        });
        expect((await call('GET', `/v1/statements/${own.body.id}`, me.other)).status).toBe(403);
        expect((await call('GET', `/v1/statements/${own.body.id}`, me.company)).status).toBe(200);

        // the owner's work list: the statements waiting for an answer, oldest first, a page at a time
        type Waiting = { items: (Statement & { entry: { subjectId: string } })[]; nextCursor: string | null };
        const waiting = `/v1/statements?status=received&entryId=${id}&limit=1`;
        const first = await call<Waiting>('GET', waiting, t.court);
        expect(first.body.items.map((s) => [s.receiptNo, s.entry.subjectId])).toEqual([
          [own.body.receiptNo, company],
        ]);
        const second = await call<Waiting>('GET', `${waiting}&cursor=${first.body.nextCursor}`, t.court);
        expect(second.body.items.map((s) => s.receiptNo)).toEqual([counter.body.receiptNo]);
        expect(second.body.nextCursor).toBeNull();
        const police = await p.token('POLICE', ['initiator']);
        expect((await call<Waiting>('GET', waiting, police)).body.items).toEqual([]);
        expect((await call('GET', waiting, me.company)).status).toBe(403);

        const early = await call('POST', `/v1/list-entries/${id}/publish`, t.court);
        expect({ status: early.status, code: early.body.code }).toEqual({
          status: 409,
          code: 'LIST_ENTRY.STATEMENT_UNANSWERED',
        });

        const noRemedy = await answer(own.body.id, { accepted: true, reply: '采纳' });
        expect({ status: noRemedy.status, code: noRemedy.body.code }).toEqual({
          status: 422,
          code: 'STATEMENT.REMEDY_REQUIRED',
        });
        const reason = '转账凭证所载款项与本案执行标的无关，不予采纳';
        expect((await answer(own.body.id, { accepted: false, reply: reason })).body.status).toBe(
          'not_accepted',
        );
        const twice = await answer(own.body.id, { accepted: false, reply: 'again' });
        expect({ status: twice.status, code: twice.body.code }).toEqual({
          status: 409,
          code: 'STATEMENT.ALREADY_ANSWERED',
        });
        expect((await call('POST', `/v1/list-entries/${id}/publish`, t.court)).body.code).toBe(
          'LIST_ENTRY.STATEMENT_UNANSWERED',
        );
        expect((await answer(counter.body.id, { accepted: false, reply: reason })).status).toBe(200);
        // answered, but the period still runs
        expect((await call('POST', `/v1/list-entries/${id}/publish`, t.court)).body.code).toBe(
          'LIST_ENTRY.STATEMENT_PERIOD_OPEN',
        );

        const mine = (await record(me.company)).body.entries.find((e) => e.id === id)!;
        expect(mine).toMatchObject({ relation: 'subject', status: 'noticed' });
        expect(mine.next.statement).toMatchObject({ allowed: true });
        expect(mine.statements).toEqual([
          expect.objectContaining({ receiptNo: own.body.receiptNo, status: 'not_accepted', reply: reason }),
          expect.objectContaining({ receiptNo: counter.body.receiptNo, status: 'not_accepted' }),
        ]);

        const trail = await waitFor(
          async () => {
            const types = await trailTypes(id);
            return types.filter((x) => x === 'credit.statement.answered.v1').length === 2 ? types : undefined;
          },
          { message: 'statements in the trail' },
        );
        expect(trail.filter((x) => x === 'credit.statement.received.v1')).toHaveLength(2);

        // publication once the period is over, and a statement refused then: test/e2e/due-process-story.ts
      });

      it('an accepted statement revokes the entry', async () => {
        const id = await draft('SJ_SERIOUS');
        await notice(id);
        const filed = await state(id, me.company);
        const accepted = await answer(filed.body.id, {
          accepted: true,
          reply: '经核实，款项已于判决前付清，撤销认定',
          remedy: 'revoked',
        });
        expect(accepted.body).toMatchObject({ status: 'accepted', remedy: 'revoked' });
        const entry = await call<Entry>('GET', `/v1/list-entries/${id}`, t.court);
        expect(entry.body).toMatchObject({ status: 'ended', endReason: 'revoked' });
        const mine = (await record(me.company)).body.entries.find((e) => e.id === id)!;
        expect(mine).toMatchObject({ status: 'ended', endReason: 'revoked' });
        expect(mine.next).toEqual({
          statement: { allowed: false, until: null },
          objection: { allowed: false },
          repair: { allowed: false, from: null },
        });
        const wrongAnswer = await answer(filed.body.id, { accepted: false, reply: 'x', remedy: 'revoked' });
        expect(wrongAnswer.body.code).toBe('STATEMENT.REMEDY_NOT_ALLOWED');
      });

      it('refuses a statement after the deadline (409 STATEMENT.PERIOD_OVER)', async () => {
        const id = await draft('SJ_QUICK');
        const noticed = await notice(id); // no statement period: the deadline is the notice itself
        expect(noticed.status).toBe(200);
        await waitFor(() => Date.now() > Date.parse(noticed.body.statementDeadline), {
          message: 'deadline past',
        });
        const late = await state(id, me.company);
        expect({ status: late.status, code: late.body.code }).toEqual({
          status: 409,
          code: 'STATEMENT.PERIOD_OVER',
        });
        expect((await record(me.company)).body.entries.find((e) => e.id === id)!.next.statement.allowed).toBe(
          false,
        );
      });
    });

    describe('objections (异议) and the record (信用记录)', () => {
      it('the subject objects with a receipt, learns the outcome, and reads the measures on it', async () => {
        const id = await draft('SJ_QUICK', {
          relatedPersons: [
            { role: 'legal_representative', kind: 'individual', id: representative, name: '张三' },
          ],
        });
        await notice(id);
        expect((await call('POST', `/v1/list-entries/${id}/publish`, t.court)).status).toBe(200);

        // the measures reach the subject (procurement) and its legal representative (exit ban)
        const companyRecord = await waitFor(
          async () => {
            const r = (await record(me.company)).body;
            return r.measures?.some((m) => m.entryId === id) ? r : undefined;
          },
          { message: "the company's measure in its record" },
        );
        expect(companyRecord.measures.filter((m) => m.entryId === id)).toEqual([
          expect.objectContaining({ dept: 'FINANCE', measureCode: 'SJ-FIN-BID', as: 'subject' }),
        ]);
        const entry = companyRecord.entries.find((e) => e.id === id)!;
        expect(entry).toMatchObject({ relation: 'subject', status: 'published' });
        expect(entry.next.objection.allowed).toBe(true);
        // a serious list: repair from a year after the listing, not before
        expect(entry.next.repair.allowed).toBe(false);
        // (a year from the period's start, which is the decision date: decision 0033)
        expect(Date.parse(entry.next.repair.from!)).toBeGreaterThan(Date.now());
        expect(entry.earliestRepairDate).toBe(entry.next.repair.from);
        expect(entry.repairConditions.length).toBeGreaterThan(0);

        // the legal representative's own record and the exit ban in it: test/e2e/due-process-story.ts
        expect((await record(me.other)).body.entries.some((e) => e.id === id)).toBe(false);

        // the counter reads the same record; a department that is no counter may not
        const atCounter = await call<SubjectRecord>('GET', `/v1/subjects/${company}/record`, t.counter);
        expect(atCounter.body.entries.map((e) => e.id)).toContain(id);
        expect((await call('GET', `/v1/subjects/${company}/record`, t.court)).status).toBe(403);

        // objections: not a party → 403; the subject itself → receipt
        const stranger = await call('POST', `/v1/list-entries/${id}/objections`, me.other, { reason: 'x' });
        expect({ status: stranger.status, code: stranger.body.code }).toEqual({
          status: 403,
          code: 'SUBJECT.NOT_A_PARTY',
        });
        const opened = await call<{ id: string; receiptNo: string; status: string }>(
          'POST',
          `/v1/list-entries/${id}/objections`,
          me.company,
          { reason: '该笔债务已于判决前清偿' },
        );
        expect(opened.status).toBe(201);
        expect(opened.body.receiptNo).toMatch(/^OB-\d{8}-[0-9A-Z]{8}$/);
        type Objections = {
          items: { id: string; receiptNo: string; status: string; resolutionNote: string }[];
        };
        expect((await call<Objections>('GET', '/v1/me/objections', me.company)).body.items[0]).toMatchObject({
          id: opened.body.id,
          status: 'open',
        });
        expect((await call<Objections>('GET', '/v1/me/objections', me.other)).body.items).toEqual([]);
        expect((await record(me.company)).body.entries.find((e) => e.id === id)!.next.objection.allowed).toBe(
          false,
        );
        const resolved = await call('POST', `/v1/objections/${opened.body.id}/resolve`, t.court, {
          outcome: 'upheld',
          note: '经核查，失信事实成立',
        });
        expect(resolved.status).toBe(200);
        expect((await call<Objections>('GET', '/v1/me/objections', me.company)).body.items[0]).toMatchObject({
          receiptNo: opened.body.receiptNo,
          status: 'upheld',
          resolutionNote: '经核查，失信事实成立',
        });

        expect((await record(me.company)).body.entries.find((e) => e.id === id)!.objections).toEqual([
          expect.objectContaining({ receiptNo: opened.body.receiptNo, status: 'upheld' }),
        ]);
        // the counter files the next one for the company, which is recorded as filed for it
        const atDesk = await call<{ receiptNo: string; filedBy: { role: string; onBehalfOf: string } }>(
          'POST',
          `/v1/list-entries/${id}/objections`,
          t.counter,
          { reason: '补充证据：还款凭证', onBehalfOf: company },
        );
        expect(atDesk.status).toBe(201);
        expect(atDesk.body.filedBy).toEqual({ role: 'credit_office', onBehalfOf: company });
        expect((await call<Objections>('GET', '/v1/me/objections', me.company)).body.items[0].receiptNo).toBe(
          atDesk.body.receiptNo,
        );

        // ended: the measures are lifted from the record
        await call('POST', `/v1/list-entries/${id}/end`, t.court, { reason: 'revoked', note: '撤销' });
        await waitFor(async () => !(await record(me.company)).body.measures.some((m) => m.entryId === id), {
          message: 'the procurement ban lifted from the record',
        });
        expect((await record(me.company)).body.entries.find((e) => e.id === id)).toMatchObject({
          status: 'ended',
          endReason: 'revoked',
        });
      });
    });
  });
}
