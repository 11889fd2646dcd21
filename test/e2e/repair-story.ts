import { Role } from '@credit/contracts';
import { uscc } from '../registry/registry-fixtures';
import { docxText } from '../support/docx-text';
import { waitFor } from '../support/infra';
import { api, ServiceName } from '../support/services';

/** What the repair story needs of a running platform (the four services, or the embedded process). */
export interface RepairStoryPlatform {
  url: Record<ServiceName, string>;
  token(dept: string, roles: Role[]): Promise<string>;
  /** the listed subject's own token: `sub` its identifier, no department */
  subjectToken(identifier: string): Promise<string>;
  close(): Promise<void>;
}

type Problem = { status: number; code: string; errors?: { field: string; code: string }[] } & Record<
  string,
  unknown
>;
type Application = {
  id: string;
  status: string;
  acceptDeadline: string | null;
  acceptPaused: boolean;
  decideDeadline: string | null;
  deadline: string | null;
  overdue: boolean;
  outcome: string | null;
  reason: string | null;
  filedBy: { role: string; dept: string | null };
};
type DocumentView = { id: string; kind: string; status: string; title: string; download: string | null };
type Assignment = { id: string; dept: string; status: string };

const DAY = 86_400_000;

/**
 * 信用修复 over HTTP (issue 13): a company listed today asks too early and is told the date; one listed
 * more than a year ago applies with its commitment and evidence, the owner asks for material, the counter
 * supplies it, the owner accepts and approves, the entry ends `repaired` and every assignment lifts; the
 * documents of 两书同达 and the decision are downloaded as DOCX. Every refusal with its stable code.
 */
export function describeRepairStory(title: string, start: () => Promise<RepairStoryPlatform>): void {
  describe(`credit repair (信用修复), ${title}`, () => {
    let platform: RepairStoryPlatform;
    const t: Record<string, string> = {};
    const COMPANY = { kind: 'legal_person', id: uscc('RPR0TAY1'), name: '杭州某某建设有限公司' };
    const RECENT = { kind: 'legal_person', id: uscc('RPR0TAY2'), name: '杭州某某贸易有限公司' };
    const OTHER = uscc('RPR0TAY3');
    let recentId: string;
    let entryId: string;
    let application: Application;
    const registry = () => platform.url.registry;

    const listType = (code: string, extra: Record<string, unknown> = {}) => ({
      code,
      name: code === 'RPR_DEFAULTER' ? '失信被执行人名单' : '不可修复名单',
      colour: 'black',
      ownerDept: 'COURT',
      legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
      infoClass: 'A',
      severity: 'serious',
      defaultPeriodDays: 730,
      subjectKinds: ['legal_person'],
      noticeWorkingDays: 0,
      // the story is about repair: its entries are published at once (the statement period is tested elsewhere)
      minStatementWorkingDays: 0,
      minStatementReason: '测试：陈述申辩期在其他测试中验证',
      suspendOnObjection: false,
      repairConditions: [
        { code: 'obligations_performed', text: '已履行生效法律文书确定的义务' },
        { code: 'fine_paid', text: '已缴纳罚款、滞纳金' },
      ],
      commitmentRequired: true,
      ...extra,
    });
    const publish = async (subject: typeof COMPANY, type: string, daysAgo = 0) => {
      const created = await api<{ id: string }>('POST', `${registry()}/v1/list-entries`, {
        token: t.court,
        body: {
          listType: type,
          subject,
          // the period counts from the decision date (decision 0033): decided `daysAgo` days ago (Beijing)
          decision: {
            documentNo: `(2025)浙0106执${subject.id.slice(-4)}号`,
            date: new Date(Date.now() + 8 * 3_600_000 - daysAgo * DAY).toISOString().slice(0, 10),
            facts: '拒不履行',
          },
        },
      });
      expect(created.status).toBe(201);
      for (const step of ['notice', 'publish']) {
        const res = await api('POST', `${registry()}/v1/list-entries/${created.body.id}/${step}`, {
          token: t.court,
          body: step === 'notice' ? { channel: 'online' } : undefined,
        });
        expect(res.status).toBe(200);
      }
      return created.body.id;
    };
    const apply = (id: string, token: string, body: Record<string, unknown>) =>
      api<Application & Problem>('POST', `${registry()}/v1/list-entries/${id}/repair-applications`, {
        token,
        body,
      });
    const complete = {
      statement: '已全部履行判决确定的给付义务并缴清罚款',
      commitment: { text: '本公司承诺依法诚信经营，如有违反，自愿接受惩戒。' },
      conditions: [
        { code: 'obligations_performed', met: true, evidence: '(2025)浙0106执恢12号 结案通知书' },
        { code: 'fine_paid', met: true, evidence: '缴款凭证 No.330106-2026-0042' },
      ],
    };
    const act = (id: string, action: string, body?: Record<string, unknown>, token = t.court) =>
      api<Application & Problem>('POST', `${registry()}/v1/repair-applications/${id}/${action}`, {
        token,
        body,
      });
    const documents = async (entry: string, token: string, kinds: string[]) =>
      waitFor(
        async () => {
          const res = await api<{ items: DocumentView[] }>(
            'GET',
            `${registry()}/v1/list-entries/${entry}/documents`,
            {
              token,
            },
          );
          const issued = (res.body.items ?? []).filter((d) => d.status === 'issued');
          return kinds.every((k) => issued.some((d) => d.kind === k)) ? res.body.items : undefined;
        },
        { message: `documents ${kinds.join(', ')} issued` },
      );
    const download = async (path: string, token: string) => {
      const res = await fetch(`${registry()}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('wordprocessingml');
      return docxText(Buffer.from(await res.arrayBuffer()));
    };
    const assignments = async () =>
      (
        await api<{ items: Assignment[] }>(
          'GET',
          `${platform.url.trigger}/v1/assignments?entryId=${entryId}`,
          {
            token: t.supervisor,
          },
        )
      ).body.items ?? [];

    beforeAll(async () => {
      platform = await start();
      t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
      t.supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
      t.counter = await platform.token('CREDIT_OFFICE', ['credit_office']);
      for (const code of ['COURT', 'FINANCE', 'POLICE']) {
        const res = await api('POST', `${registry()}/v1/departments`, {
          token: t.admin,
          body: { code, name: code === 'COURT' ? '杭州市西湖区人民法院' : code, region: '330100' },
        });
        expect([201, 409]).toContain(res.status); // the embedded story's demo may have registered it
      }
      t.court = await platform.token('COURT', ['initiator']);
      t.police = await platform.token('POLICE', ['initiator']);
      t.company = await platform.subjectToken(COMPANY.id);
      t.recent = await platform.subjectToken(RECENT.id);
      t.other = await platform.subjectToken(OTHER);
      for (const body of [listType('RPR_DEFAULTER'), listType('RPR_NO_REPAIR', { repairable: false })]) {
        // a department registered a moment ago is accepted within seconds
        const res = await waitFor(
          async () => {
            const r = await api('POST', `${registry()}/v1/list-types`, { token: t.admin, body });
            return r.status === 201 ? r : undefined;
          },
          { message: `list type ${body.code}` },
        );
        expect(res.status).toBe(201);
      }
      const measure = (code: string, dept: string, actions: string[]) => ({
        code,
        text: code,
        kind: 'punishment',
        dept,
        legalBasis: '《中华人民共和国民事诉讼法》第二百六十六条',
        subjectKinds: ['legal_person'],
        actions,
        mode: 'block',
        feedbackWorkingDays: 5,
      });
      const memorandum = await api('POST', `${platform.url.trigger}/v1/memoranda`, {
        token: t.admin,
        body: {
          code: 'MOU-RPR-STORY',
          title: '修复故事备忘录',
          documentNo: '发改财金〔2016〕141号',
          listTypes: ['RPR_DEFAULTER'],
          measures: [
            measure('RPR-FIN-BID', 'FINANCE', ['government_procurement_bid']),
            measure('RPR-POL-EXIT', 'POLICE', ['exit_entry']),
          ],
        },
      });
      expect(memorandum.status).toBe(201);
      await waitFor(
        async () => {
          const court = await api('GET', `${registry()}/v1/list-types/RPR_DEFAULTER`, { token: t.court });
          return court.status === 200;
        },
        { message: "the court's token accepted" },
      );
    });

    afterAll(async () => {
      await platform?.close();
    });

    it('two documents are served with the listing (两书同达); a repair before the earliest date is refused with it', async () => {
      recentId = await publish(RECENT, 'RPR_DEFAULTER');
      const docs = await documents(recentId, t.recent, ['listing_decision', 'repair_notice']);
      expect(docs.map((d) => d.kind).sort()).toEqual(['listing_decision', 'repair_notice']);
      const notice = await download(docs.find((d) => d.kind === 'repair_notice')!.download!, t.recent);
      expect(notice).toContain('信用修复告知书');
      expect(notice).toContain('（公示满365日后），当事人可以申请信用修复');
      expect(notice).toContain('已缴纳罚款、滞纳金');
      expect(notice).toContain('信用承诺书');
      const listing = await download(docs.find((d) => d.kind === 'listing_decision')!.download!, t.court);
      expect(listing).toContain('列入失信被执行人名单决定书');
      expect(listing).toContain(RECENT.name);
      // nobody else's documents: another subject is told they do not exist
      const foreign = await api<Problem>('GET', `${registry()}/v1/list-entries/${recentId}/documents`, {
        token: t.other,
      });
      expect(foreign.status).toBe(404);

      const early = await apply(recentId, t.recent, complete);
      expect(early.status).toBe(422);
      expect(early.body.code).toBe('REPAIR.TOO_EARLY');
      const earliest = Date.parse(early.body.earliestRepairDate as string);
      // a year from the period's start: the decision day's midnight in Beijing (decision 0033)
      expect(Math.abs(earliest - (Date.now() + 365 * DAY))).toBeLessThan(DAY);
      expect(early.body.detail).toContain(String(early.body.earliestRepairDay));
    });

    it('refuses, each with its stable code: another party, missing conditions and commitment, a list that is not repairable', async () => {
      entryId = await publish(COMPANY, 'RPR_DEFAULTER', 400);
      const notParty = await apply(entryId, t.other, complete);
      expect([notParty.status, notParty.body.code]).toEqual([403, 'SUBJECT.NOT_A_PARTY']);
      const otherDept = await apply(entryId, t.police, complete);
      expect([otherDept.status, otherDept.body.code]).toEqual([403, 'SUBJECT.NOT_A_PARTY']);
      const counterForOther = await apply(entryId, t.counter, { ...complete, onBehalfOf: OTHER });
      expect([counterForOther.status, counterForOther.body.code]).toEqual([403, 'SUBJECT.NOT_A_PARTY']);
      const counterForNobody = await apply(entryId, t.counter, complete);
      expect([counterForNobody.status, counterForNobody.body.code]).toEqual([
        422,
        'SUBJECT.ON_BEHALF_OF_REQUIRED',
      ]);

      const missing = await apply(entryId, t.company, {
        ...complete,
        conditions: [{ code: 'obligations_performed', met: true }],
      });
      expect([missing.status, missing.body.code]).toEqual([422, 'REPAIR.CONDITIONS_NOT_MET']);
      expect(missing.body.errors!.map((e) => [e.field, e.code])).toEqual([
        ['conditions.obligations_performed.evidence', 'REPAIR.EVIDENCE_MISSING'],
        ['conditions.fine_paid', 'REPAIR.CONDITION_MISSING'],
      ]);
      const noCommitment = await apply(entryId, t.company, { ...complete, commitment: undefined });
      expect([noCommitment.status, noCommitment.body.code]).toEqual([422, 'REPAIR.COMMITMENT_REQUIRED']);
      expect(noCommitment.body.errors![0].field).toBe('commitment.text');

      const fixed = await publish({ ...COMPANY, id: uscc('RPR0TAY4') }, 'RPR_NO_REPAIR', 400);
      const notRepairable = await apply(fixed, t.court, complete);
      expect([notRepairable.status, notRepairable.body.code]).toEqual([409, 'REPAIR.NOT_REPAIRABLE']);
    });

    it('the company applies after the period; material asked for pauses the clock until the counter supplies it', async () => {
      await waitFor(async () => ((await assignments()).length >= 2 ? true : undefined), {
        message: 'the fan-out of the old entry',
      });
      const submitted = await apply(entryId, t.company, complete);
      expect(submitted.status).toBe(201);
      application = submitted.body;
      expect(application).toMatchObject({ status: 'submitted', filedBy: { role: 'subject', dept: null } });
      expect(Date.parse(application.acceptDeadline!)).toBeGreaterThan(Date.now() + DAY);
      expect((await apply(entryId, t.company, complete)).body.code).toBe('REPAIR.ALREADY_PENDING');

      const asked = await act(application.id, 'request-material', { missing: ['缴款凭证原件扫描件'] });
      expect(asked.body).toMatchObject({
        status: 'material_requested',
        acceptPaused: true,
        acceptDeadline: null,
      });
      expect((await act(application.id, 'accept')).body.code).toBe('REPAIR.TRANSITION_NOT_ALLOWED');
      expect((await act(application.id, 'supply-material', { material: 'x' }, t.other)).body.code).toBe(
        'SUBJECT.NOT_A_PARTY',
      );
      const supplied = await act(
        application.id,
        'supply-material',
        { material: '已补充缴款凭证原件扫描件', onBehalfOf: COMPANY.id },
        t.counter,
      );
      expect(supplied.body).toMatchObject({ status: 'submitted', acceptPaused: false });
      expect(Date.parse(supplied.body.acceptDeadline!)).toBeGreaterThan(Date.now());
    });

    it('the owner accepts and approves within the deadlines; the entry ends repaired and every measure lifts', async () => {
      expect((await act(application.id, 'accept', undefined, t.police)).body.code).toBe(
        'LIST_ENTRY.NOT_OWNER',
      );
      const accepted = await act(application.id, 'accept');
      expect(accepted.body).toMatchObject({ status: 'accepted', overdue: false });
      expect(Date.parse(accepted.body.decideDeadline!)).toBeGreaterThan(Date.now() + 4 * DAY);

      const mine = await api<{ items: Application[] }>('GET', `${registry()}/v1/me/applications`, {
        token: t.company,
      });
      expect(mine.body.items.map((a) => a.id)).toEqual([application.id]);
      expect(
        (await api('GET', `${registry()}/v1/repair-applications/${application.id}`, { token: t.other }))
          .status,
      ).toBe(404);
      expect(
        (await api('GET', `${registry()}/v1/repair-applications/${application.id}`, { token: t.supervisor }))
          .status,
      ).toBe(200);

      // its signed commitment in the register (信用承诺): test/e2e/due-process-story.ts
      const approved = await act(application.id, 'decide', { outcome: 'approved', reason: '已履行全部义务' });
      expect(approved.body).toMatchObject({ status: 'approved', outcome: 'approved' });
      const entry = await api<{ status: string; endReason: string }>(
        'GET',
        `${registry()}/v1/list-entries/${entryId}`,
        {
          token: t.court,
        },
      );
      expect(entry.body).toMatchObject({ status: 'ended', endReason: 'repaired' });
      await waitFor(
        async () => {
          const items = await assignments();
          return items.length >= 2 && items.every((a) => a.status === 'lifted') ? true : undefined;
        },
        { message: 'every assignment lifted' },
      );
      const again = await apply(entryId, t.company, complete);
      expect([again.status, again.body.code]).toEqual([409, 'REPAIR.ENTRY_ENDED']);

      // the repair decision served and downloaded by both parties: test/e2e/due-process-story.ts
    });

    it('a rejection keeps the entry in force and tells the applicant why', async () => {
      const id = await publish(
        { ...COMPANY, id: uscc('RPR0TAY5'), name: '杭州某某物流有限公司' },
        'RPR_DEFAULTER',
        400,
      );
      const filed = await apply(id, t.court, complete);
      expect(filed.body.filedBy).toEqual({ role: 'initiator', dept: 'COURT' });
      await act(filed.body.id, 'accept');
      const rejected = await act(filed.body.id, 'decide', { outcome: 'rejected', reason: '罚款尚未缴清' });
      expect(rejected.body).toMatchObject({ status: 'rejected', reason: '罚款尚未缴清' });
      const entry = await api<{ status: string }>('GET', `${registry()}/v1/list-entries/${id}`, {
        token: t.court,
      });
      expect(entry.body.status).toBe('published');
      const docs = await documents(id, t.court, ['repair_decision']);
      const decision = await download(docs.find((d) => d.kind === 'repair_decision')!.download!, t.court);
      expect(decision).toContain('决定不予信用修复。理由：罚款尚未缴清');
      // the applicant reads the outcome, its reason and the decision document with the application
      const read = await api<Application & { documents: DocumentView[] }>(
        'GET',
        `${registry()}/v1/repair-applications/${filed.body.id}`,
        { token: t.court },
      );
      expect(read.body).toMatchObject({ outcome: 'rejected', reason: '罚款尚未缴清' });
      expect(read.body.documents).toEqual([
        expect.objectContaining({ kind: 'repair_decision', status: 'issued' }),
      ]);
    });
  });
}
