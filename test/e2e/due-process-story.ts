import { loadBundledCalendar } from '@credit/calendar';
import { Role } from '@credit/contracts';
import { idNumber, uscc } from '../registry/registry-fixtures';
import { docxText } from '../support/docx-text';
import { waitFor } from '../support/infra';
import { api, ServiceName } from '../support/services';

/** What the due-process story needs of a running platform (the four services, or the embedded process). */
export interface DueProcessPlatform {
  /** where each service answers; read at every call (the embedded mode comes back on a new port after `passTime`) */
  readonly url: Record<ServiceName, string>;
  token(dept: string, roles: Role[]): Promise<string>;
  /** the listed subject's own token: `sub` its identifier, no department */
  subjectToken(identifier: string): Promise<string>;
  /**
   * What days passing would have done, written into the platform's database (there is no clock to move):
   * SQL on the registry's tables. The embedded mode stops, runs it on its files and starts again.
   */
  passTime(sql: string, params: unknown[]): Promise<void>;
  /** seals the trail now, where the test can reach the job; otherwise the platform's interval does */
  seal?: () => Promise<void>;
  close(): Promise<void>;
}

type Problem = { status?: number; code?: string; detail?: string } & Record<string, unknown>;
type Entry = {
  id: string;
  status: string;
  statementDeadline: string;
  endReason: string | null;
  notice: { reasons: string; legalBasis: string; rights: string; statementDeadline: string };
};
type Statement = { id: string; receiptNo: string; receivedAt: string; status: string; reply: string | null };
type RecordEntry = {
  id: string;
  relation: string;
  status: string;
  endReason: string | null;
  statementDeadline: string | null;
  earliestRepairDate: string | null;
  repairConditions: { code: string; text: string }[];
  statements: { receiptNo: string; status: string; reply: string | null }[];
  next: { repair: { allowed: boolean; from: string | null } };
};
type SubjectRecord = {
  entries: RecordEntry[];
  measures: {
    entryId: string;
    dept: string;
    measureCode: string;
    as: string;
    text: string;
    legalBasis: string;
    until: string;
  }[];
};
type Application = {
  id: string;
  status: string;
  acceptDeadline: string | null;
  decideDeadline: string | null;
  overdue: boolean;
  outcome: string | null;
};
type Check = { decision: string; reasons: { entryId: string; measureCode: string; dept: string }[] };
type DocumentView = { id: string; kind: string; status: string; title: string; download: string | null };

const DAY = 86_400_000;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const calendar = loadBundledCalendar();

/**
 * The listed subject as a party, in one story (issue 13): a company is noticed, states its case, is
 * answered and published anyway; its legal representative sees the exit ban in his record; the company
 * applies for repair too early and is told the date, applies again after the minimum period with its
 * commitment and evidence, is accepted and approved within the working-day deadlines; every measure
 * lifts, the checks allow, the trail shows each step in order and verifies, and the documents served on
 * it (两书同达, the repair decision) download for the company and the court alike. Each step asserts
 * what the person at that step would look at. Runs in the distributed layout and the embedded mode.
 */
export function describeDueProcessStory(title: string, start: () => Promise<DueProcessPlatform>): void {
  describe(`due process, the subject as a party, ${title}`, () => {
    let p: DueProcessPlatform;
    const t = {} as Record<
      'admin' | 'supervisor' | 'court' | 'police' | 'finance' | 'company' | 'representative',
      string
    >;
    const run = String(Math.floor(Math.random() * 10_000)).padStart(4, '0');
    const COMPANY = { kind: 'legal_person', id: uscc(`DP${run}01`), name: '杭州某某建筑工程有限公司' };
    const REPRESENTATIVE = {
      role: 'legal_representative',
      kind: 'individual',
      id: idNumber('19750312', String(100 + Math.floor(Math.random() * 800))),
      name: '李四',
    };
    const LIST_TYPE = `DP_DEFAULTER_${run}`;
    const LEGAL_BASIS = '《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条';
    const reply = '经核查，所附转账凭证与本案执行标的无关，申辩理由不成立，不予采纳';
    let entryId: string;
    let statement: Statement;
    let application: Application;
    const registry = () => p.url.registry;
    const call = <T = Problem>(method: string, url: string, token: string, body?: unknown) =>
      api<T & Problem>(method, url, { token, body });
    const entry = async () =>
      (await call<Entry>('GET', `${registry()}/v1/list-entries/${entryId}`, t.court)).body;
    const record = async (token: string) =>
      (await call<SubjectRecord>('GET', `${registry()}/v1/me/record`, token)).body;
    const check = async (token: string, subjectId: string, action: string) =>
      (
        await call<Check>('POST', `${p.url.enforcement}/v1/checks`, token, {
          subject: { id: subjectId },
          action,
        })
      ).body;
    const apply = (body: Record<string, unknown>) =>
      call<Application>(
        'POST',
        `${registry()}/v1/list-entries/${entryId}/repair-applications`,
        t.company,
        body,
      );
    const act = (action: string, body?: Record<string, unknown>) =>
      call<Application>(
        'POST',
        `${registry()}/v1/repair-applications/${application.id}/${action}`,
        t.court,
        body,
      );
    /** an instant `days` working days after `from`, as the platform counts them (Beijing, same time of day) */
    const workingDaysAfter = (from: number, days: number) =>
      calendar.addWorkingDays(new Date(from), days).getTime();

    beforeAll(async () => {
      p = await start();
      t.admin = await p.token('CREDIT_OFFICE', ['admin']);
      t.supervisor = await p.token('CREDIT_OFFICE', ['supervisor']);
      for (const [code, name] of [
        ['COURT', '杭州市西湖区人民法院'],
        ['POLICE', '杭州市公安局出入境管理局'],
        ['FINANCE', '杭州市财政局'],
      ]) {
        const res = await call('POST', `${registry()}/v1/departments`, t.admin, {
          code,
          name,
          region: '330100',
        });
        expect([201, 409]).toContain(res.status); // another story of the same platform may have registered it
      }
      t.court = await p.token('COURT', ['initiator']);
      t.police = await p.token('POLICE', ['implementer']);
      t.finance = await p.token('FINANCE', ['implementer']);
      t.company = await p.subjectToken(COMPANY.id);
      t.representative = await p.subjectToken(REPRESENTATIVE.id);
      const listType = await call('POST', `${registry()}/v1/list-types`, t.admin, {
        code: LIST_TYPE,
        name: '失信被执行人名单',
        colour: 'black',
        ownerDept: 'COURT',
        legalBasis: LEGAL_BASIS,
        infoClass: 'B',
        severity: 'serious',
        defaultPeriodDays: 730,
        subjectKinds: ['legal_person'],
        // a serious black list: at least 5 working days to state its case (decision 0024)
        noticeWorkingDays: 5,
        suspendOnObjection: false,
        // the severity band waits a year; this list type says why it waits a day (decision 0025)
        minRepairDays: 1,
        minRepairDaysReason: '测试：修复最短期限按本故事缩短，严重失信一年的期限在其他测试中验证',
        repairConditions: [
          { code: 'obligations_performed', text: '已履行生效法律文书确定的义务' },
          { code: 'fine_paid', text: '已缴纳罚款、滞纳金' },
        ],
        commitmentRequired: true,
      });
      expect(listType.status).toBe(201);
      const measure = (code: string, text: string, dept: string, extra: Record<string, unknown>) => ({
        code,
        text,
        kind: 'punishment',
        dept,
        legalBasis: '《中华人民共和国民事诉讼法》第二百六十六条',
        subjectKinds: ['legal_person'],
        mode: 'block',
        feedbackWorkingDays: 5,
        ...extra,
      });
      const memorandum = await call('POST', `${p.url.trigger}/v1/memoranda`, t.admin, {
        code: `MOU-DP-${run}`,
        title: '对失信被执行人实施联合惩戒的合作备忘录',
        documentNo: '发改财金〔2016〕141号',
        listTypes: [LIST_TYPE],
        measures: [
          measure(`DP-FIN-BID-${run}`, '限制参加政府采购活动', 'FINANCE', {
            actions: ['government_procurement_bid'],
          }),
          // the exit ban reaches the company's legal representative, not the company
          measure(`DP-POL-EXIT-${run}`, '限制法定代表人出境', 'POLICE', {
            actions: ['exit_entry'],
            relatedRoles: ['legal_representative'],
          }),
        ],
      });
      expect(memorandum.status).toBe(201);
      // a department registered a moment ago is accepted within seconds
      await waitFor(
        async () => (await call('GET', `${registry()}/v1/list-types/${LIST_TYPE}`, t.court)).status === 200,
        { message: "the court's token accepted" },
      );
    }, 240_000);

    afterAll(async () => {
      await p?.close();
    });

    it('1. the court drafts the entry and notices it: reasons, legal basis, rights and a deadline 5 working days on', async () => {
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10); // Beijing
      const drafted = await call<Entry>('POST', `${registry()}/v1/list-entries`, t.court, {
        listType: LIST_TYPE,
        subject: COMPANY,
        decision: {
          documentNo: `(2026)浙0106执${run}号`,
          date: today,
          facts: '有履行能力而拒不履行生效判决',
        },
        relatedPersons: [REPRESENTATIVE],
      });
      expect(drafted.status).toBe(201);
      expect(drafted.body.status).toBe('draft');
      entryId = drafted.body.id;

      const before = Date.now();
      const noticed = await call<Entry>('POST', `${registry()}/v1/list-entries/${entryId}/notice`, t.court, {
        channel: 'online',
        reasons: '有履行能力而拒不履行(2026)浙0106民初1号判决确定的给付义务',
      });
      expect(noticed.status).toBe(200);
      expect(noticed.body.status).toBe('noticed');
      const deadline = Date.parse(noticed.body.statementDeadline);
      expect(deadline).toBeGreaterThanOrEqual(workingDaysAfter(before, 5));
      expect(deadline).toBeLessThanOrEqual(workingDaysAfter(Date.now(), 5));
      expect(noticed.body.notice).toMatchObject({
        reasons: '有履行能力而拒不履行(2026)浙0106民初1号判决确定的给付义务',
        legalBasis: LEGAL_BASIS,
        statementDeadline: noticed.body.statementDeadline,
      });
      expect(noticed.body.notice.rights).toMatch(/陈述、申辩/);

      // the company reads the same in its record, with the deadline it has to state its case
      const mine = (await record(t.company)).entries.find((e) => e.id === entryId)!;
      expect(mine).toMatchObject({ relation: 'subject', status: 'noticed' });
      expect(mine.statementDeadline).toBe(noticed.body.statementDeadline);
    });

    it('2. the company states its case and gets a receipt', async () => {
      const filed = await call<Statement>(
        'POST',
        `${registry()}/v1/list-entries/${entryId}/statements`,
        t.company,
        {
          content: '该笔款项已于判决前支付，附转账凭证',
        },
      );
      expect(filed.status).toBe(201);
      statement = filed.body;
      expect(statement.receiptNo).toMatch(/^ST-\d{8}-[0-9A-Z]{8}$/);
      expect(Math.abs(Date.parse(statement.receivedAt) - Date.now())).toBeLessThan(60_000);
      const listed = await call<{ items: Statement[] }>(
        'GET',
        `${registry()}/v1/list-entries/${entryId}/statements`,
        t.company,
      );
      expect(listed.body.items).toEqual([
        expect.objectContaining({ receiptNo: statement.receiptNo, status: 'received' }),
      ]);
    });

    it('3. the court answers "not accepted" with its reason and publishes once the period is over', async () => {
      const publish = () => call<Entry>('POST', `${registry()}/v1/list-entries/${entryId}/publish`, t.court);
      // publication waits for the answer, then for the end of the statement period
      expect((await publish()).body).toMatchObject({ status: 409, code: 'LIST_ENTRY.STATEMENT_UNANSWERED' });
      const answered = await call<Statement>(
        'POST',
        `${registry()}/v1/statements/${statement.id}/answer`,
        t.court,
        {
          accepted: false,
          reply,
        },
      );
      expect(answered.status).toBe(200);
      expect(answered.body).toMatchObject({ status: 'not_accepted', reply });
      expect((await publish()).body).toMatchObject({ status: 409, code: 'LIST_ENTRY.STATEMENT_PERIOD_OPEN' });

      // the company reads the answer and its reason in its record
      const mine = (await record(t.company)).entries.find((e) => e.id === entryId)!;
      expect(mine.statements).toEqual([
        expect.objectContaining({ receiptNo: statement.receiptNo, status: 'not_accepted', reply }),
      ]);

      // five working days pass
      await p.passTime(
        `UPDATE registry.list_entries SET statement_deadline = now() - interval '1 minute' WHERE id = $1`,
        [entryId],
      );
      const published = await publish();
      expect(published.status).toBe(200);
      expect(published.body.status).toBe('published');
      // in force: the time for statements is over (an objection is the way now)
      const late = await call('POST', `${registry()}/v1/list-entries/${entryId}/statements`, t.company, {
        content: '补充陈述',
      });
      expect({ status: late.status, code: late.body.code }).toEqual({
        status: 409,
        code: 'STATEMENT.ENTRY_NOT_NOTICED',
      });
    }, 240_000); // the embedded mode restarts around `passTime`

    it('4. the legal representative sees the exit ban in his own record; the police check blocks him', async () => {
      const mine = await waitFor(
        async () => {
          const r = await record(t.representative);
          return r.measures?.some((m) => m.entryId === entryId) ? r : undefined;
        },
        { message: "the exit ban in the representative's record" },
      );
      expect(mine.entries.map((e) => [e.id, e.relation, e.status])).toEqual([
        [entryId, 'legal_representative', 'published'],
      ]);
      expect(mine.measures).toEqual([
        expect.objectContaining({
          entryId,
          dept: 'POLICE',
          measureCode: `DP-POL-EXIT-${run}`,
          as: 'legal_representative',
          text: '限制法定代表人出境',
          legalBasis: '《中华人民共和国民事诉讼法》第二百六十六条',
        }),
      ]);
      expect(Date.parse(mine.measures[0].until)).toBeGreaterThan(Date.now() + 700 * DAY);
      // the company's own measure is the procurement ban, not the exit ban
      const company = await waitFor(
        async () => {
          const r = await record(t.company);
          return r.measures?.some((m) => m.entryId === entryId) ? r : undefined;
        },
        { message: "the procurement ban in the company's record" },
      );
      expect(company.measures.filter((m) => m.entryId === entryId).map((m) => [m.dept, m.as])).toEqual([
        ['FINANCE', 'subject'],
      ]);
      const atTheBorder = await waitFor(
        async () => {
          const res = await check(t.police, REPRESENTATIVE.id, 'exit_entry');
          return res.decision === 'block' ? res : undefined;
        },
        { message: 'the exit check blocks the representative' },
      );
      expect(atTheBorder.reasons).toEqual([
        expect.objectContaining({ entryId, dept: 'POLICE', measureCode: `DP-POL-EXIT-${run}` }),
      ]);
    });

    const commitmentText = '本公司承诺依法诚信经营，按期履行法定义务，如有违反，自愿接受惩戒。';
    const repairBody = {
      statement: '已全部履行判决确定的给付义务并缴清罚款',
      commitment: { text: commitmentText },
      conditions: [
        { code: 'obligations_performed', met: true, evidence: '(2026)浙0106执恢12号 结案通知书' },
        { code: 'fine_paid', met: true, evidence: '缴款凭证 No.330106-2026-0042' },
      ],
    };

    it('5. the company applies for repair too early and is told the earliest date', async () => {
      const early = await apply(repairBody);
      expect([422, 409]).toContain(early.status);
      expect(early.body.code).toBe('REPAIR.TOO_EARLY');
      // a day after the period's start (the decision day's midnight in Beijing): tomorrow, Beijing time
      const earliest = early.body.earliestRepairDate as string;
      const tomorrow = new Date(Date.now() + 8 * 3_600_000 + DAY).toISOString().slice(0, 10);
      expect(early.body.earliestRepairDay).toBe(tomorrow);
      expect(Date.parse(earliest)).toBe(Date.parse(`${tomorrow}T00:00:00+08:00`));
      expect(early.body.detail).toContain(tomorrow);
      // the record tells the same date before it asks
      const mine = (await record(t.company)).entries.find((e) => e.id === entryId)!;
      expect(mine.earliestRepairDate).toBe(earliest);
      expect(mine.next.repair).toEqual({ allowed: false, from: earliest });
      expect(mine.repairConditions.map((c) => c.code)).toEqual(['obligations_performed', 'fine_paid']);
    });

    it('6. after the minimum period the company applies with its signed commitment and evidence per condition', async () => {
      // a day passes: the period started a day earlier than it did
      await p.passTime(
        `UPDATE registry.list_entries SET period_from = period_from - interval '1 day' WHERE id = $1`,
        [entryId],
      );
      expect((await record(t.company)).entries.find((e) => e.id === entryId)!.next.repair.allowed).toBe(true);
      const before = Date.now();
      const submitted = await apply(repairBody);
      expect(submitted.status).toBe(201);
      application = submitted.body;
      expect(application.status).toBe('submitted');
      // accepted within 2 working days of the submission (decision 0025)
      const acceptDeadline = Date.parse(application.acceptDeadline!);
      expect(acceptDeadline).toBeGreaterThanOrEqual(workingDaysAfter(before, 2));
      expect(acceptDeadline).toBeLessThanOrEqual(workingDaysAfter(Date.now(), 2));

      // the signed commitment is in the register, bound to the entry
      const register = await call<{
        items: { matter: string; status: string; entryId: string; text: string }[];
      }>('GET', `${registry()}/v1/me/commitments`, t.company);
      expect(register.body.items.filter((c) => c.entryId === entryId)).toEqual([
        expect.objectContaining({ matter: 'repair', status: 'open', text: commitmentText }),
      ]);
    }, 240_000); // the embedded mode restarts around `passTime`

    it('7. the court accepts, then approves, each within its working-day deadline', async () => {
      const before = Date.now();
      const accepted = await act('accept');
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'accepted', overdue: false });
      // decided within 5 working days of the acceptance
      const decideDeadline = Date.parse(accepted.body.decideDeadline!);
      expect(decideDeadline).toBeGreaterThanOrEqual(workingDaysAfter(before, 5));
      expect(decideDeadline).toBeLessThanOrEqual(workingDaysAfter(Date.now(), 5));
      // the company follows its application with the same deadline
      const mine = await call<{ items: Application[] }>('GET', `${registry()}/v1/me/applications`, t.company);
      expect(mine.body.items).toEqual([
        expect.objectContaining({
          id: application.id,
          status: 'accepted',
          decideDeadline: accepted.body.decideDeadline,
        }),
      ]);

      const approved = await act('decide', { outcome: 'approved', reason: '已履行全部义务并签署信用承诺书' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', outcome: 'approved', overdue: false });
      expect(await entry()).toMatchObject({ status: 'ended', endReason: 'repaired' });
    });

    it("8. every implementing department's measures lift: the assignments and the checks", async () => {
      await waitFor(
        async () => {
          const res = await call<{ items: { dept: string; status: string }[] }>(
            'GET',
            `${p.url.trigger}/v1/assignments?entryId=${entryId}`,
            t.supervisor,
          );
          const items = res.body.items ?? [];
          return items.length === 2 && items.every((a) => a.status === 'lifted') ? true : undefined;
        },
        { message: 'both assignments lifted' },
      );
      await waitFor(
        async () => (await check(t.police, REPRESENTATIVE.id, 'exit_entry')).decision === 'allow',
        {
          message: 'the exit check allows the representative',
        },
      );
      await waitFor(
        async () => (await check(t.finance, COMPANY.id, 'government_procurement_bid')).decision === 'allow',
        { message: 'the procurement check allows the company' },
      );
      // and the records say so: no measure in force, the entry ended repaired
      await waitFor(
        async () => !(await record(t.representative)).measures.some((m) => m.entryId === entryId),
        {
          message: "the exit ban gone from the representative's record",
        },
      );
      const mine = (await record(t.company)).entries.find((e) => e.id === entryId)!;
      expect(mine).toMatchObject({ status: 'ended', endReason: 'repaired' });
      expect((await record(t.representative)).entries).toEqual([
        expect.objectContaining({ id: entryId, status: 'ended', endReason: 'repaired' }),
      ]);
    });

    it('9. the trail shows each step in order and verifies', async () => {
      const steps = [
        'credit.list-entry.noticed.v1',
        'credit.statement.received.v1',
        'credit.statement.answered.v1',
        'credit.list-entry.published.v1',
        'credit.repair.submitted.v1',
        'credit.repair.accepted.v1',
        'credit.repair.decided.v1',
        'credit.list-entry.ended.v1',
        'credit.assignment.lifted.v1',
      ];
      type TrailRecord = { type: string; data: Record<string, unknown> };
      const trail = await waitFor(
        async () => {
          const res = await call<{ items: TrailRecord[] }>(
            'GET',
            `${p.url.tracking}/v1/list-entries/${entryId}/trail`,
            t.supervisor,
          );
          const items = res.body.items ?? [];
          return items.filter((r) => r.type === 'credit.assignment.lifted.v1').length === 2
            ? items
            : undefined;
        },
        { message: 'the trail has both lifts' },
      );
      const types = trail.map((r) => r.type);
      const first = steps.map((s) => types.indexOf(s));
      expect(first.every((i) => i >= 0)).toBe(true);
      expect([...first].sort((a, b) => a - b)).toEqual(first); // in the order they happened
      const ended = trail.find((r) => r.type === 'credit.list-entry.ended.v1')!;
      expect(ended.data).toMatchObject({ reason: 'repaired' });
      const decided = trail.find((r) => r.type === 'credit.repair.decided.v1')!;
      expect(decided.data).toMatchObject({ outcome: 'approved' });

      const verify = await waitFor(
        async () => {
          await p.seal?.();
          const res = await call<{ valid: boolean; records: number; sealed: number; unsealed: number }>(
            'GET',
            `${p.url.tracking}/v1/list-entries/${entryId}/trail/verify`,
            t.supervisor,
          );
          return res.body.unsealed === 0 && res.body.records >= trail.length ? res.body : undefined;
        },
        { message: 'the whole trail sealed' },
      );
      expect(verify).toMatchObject({ valid: true, sealed: verify.records });
    });

    it('10. the documents served on the company download for it and for the court', async () => {
      const expected: Record<string, string[]> = {
        listing_decision: ['列入失信被执行人名单决定书', COMPANY.name],
        repair_notice: ['信用修复告知书', '信用承诺书', '已缴纳罚款、滞纳金'],
        repair_decision: ['信用修复决定书', '决定同意信用修复'],
        // (issued once the statement_answer document exists: branch repairdocs)
        statement_answer: ['陈述申辩答复书'],
      };
      const served = await waitFor(
        async () => {
          const res = await call<{ items: DocumentView[] }>(
            'GET',
            `${registry()}/v1/list-entries/${entryId}/documents`,
            t.company,
          );
          const issued = (res.body.items ?? []).filter((d) => d.status === 'issued');
          if (
            ['listing_decision', 'repair_notice', 'repair_decision'].every((k) =>
              issued.some((d) => d.kind === k),
            )
          )
            return issued;
          // said when it times out: what there is so far
          throw new Error(
            `${res.status} ${JSON.stringify(res.body.items?.map((d) => [d.kind, d.status]) ?? res.body)}`,
          );
        },
        // generated off the request, on the job's interval at the latest (decision 0026)
        { message: 'the listing decision, repair notice and repair decision issued', timeoutMs: 60_000 },
      );
      const ownersView = await call<{ items: DocumentView[] }>(
        'GET',
        `${registry()}/v1/list-entries/${entryId}/documents`,
        t.court,
      );
      expect(ownersView.body.items.map((d) => d.id).sort()).toEqual(
        expect.arrayContaining(served.map((d) => d.id).sort()),
      );
      for (const document of served) {
        for (const token of [t.company, t.court]) {
          const res = await fetch(`${registry()}${document.download}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toContain(DOCX);
          const file = Buffer.from(await res.arrayBuffer());
          expect(file.length).toBeGreaterThan(0);
          const text = docxText(file);
          for (const words of expected[document.kind] ?? [document.title]) expect(text).toContain(words);
        }
      }
    }, 120_000);
  });
}
