import ExcelJS from 'exceljs';
import { mintToken } from '@credit/auth';
import { Role } from '@credit/contracts';
import { idNumber, uscc } from '../registry/registry-fixtures';
import { waitFor } from '../support/infra';
import { api, ServiceName } from '../support/services';

/** What the story needs of a running platform: where each service answers, tokens, and its end. */
export interface CasesPlatform {
  url: Record<ServiceName, string>;
  token(dept: string, roles: Role[]): Promise<string>;
  /** a subject's own token (its identifier as `sub`, no department) */
  subjectToken(identifier: string): Promise<string>;
  /** a credit office supervisor with a region claim (decision 0020) */
  supervisorOf(region: string): Promise<string>;
  close(): Promise<void>;
}

/** What only some layouts can do in a test: run the registry's retention job now (decision 0021). */
export interface CasesStoryOptions {
  anonymise?: (platform: CasesPlatform, at: Date) => Promise<number>;
}

type Problem = { code: string; errors?: { field: string; code: string }[] };
type Period = { from: string; to: string | null; openEnded: boolean };
type CaseView = {
  id: string;
  status: string;
  region: string;
  nominatingDept: string;
  kind: string;
  summary: string;
  entries: { entryId: string; subject: { id: string; name: string }; period: Period }[];
  feedback: { assignmentId: string; dept: string; detail: string | null; measure: { code: string } }[];
  decision: { outcome: string; note: string | null; reason: string | null } | null;
  withdrawal: { reason: string } | null;
};
type PublicCase = {
  id: string;
  title: string;
  summary: string;
  entries: { subject: { kind: string; id: string; name: string }; period: Period }[];
  measures: { dept: string; measureCode: string }[];
};

/** The fields a 400 names (one error per broken constraint). */
const fields = (problem: Problem) => [...new Set(problem.errors?.map((e) => e.field))].sort();
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 32 * 3_600_000).toISOString().slice(0, 10);

/**
 * 典型案例 (issue 14, decision 0036), from a real entry and real enforcement feedback to the province's
 * export and the public list, run against the distributed layout and the embedded mode. An open-ended
 * entry also shows that every view writes its end the same way (decision 0033).
 */
export function describeTypicalCases(
  title: string,
  start: () => Promise<CasesPlatform>,
  options: CasesStoryOptions = {},
): void {
  describe(`typical cases (典型案例), ${title}`, () => {
    let platform: CasesPlatform;
    const t: Record<string, string> = {};
    const person = { kind: 'individual', id: idNumber('19800101', '517'), name: '张三丰' };
    const company = { kind: 'legal_person', id: uscc('CA2E0001'), name: '杭州某某建材有限公司' };
    const confidential = { kind: 'legal_person', id: uscc('CA2E0002'), name: '杭州某某物流有限公司' };
    type Key = 'person' | 'company' | 'confidential';
    const entry: Record<Key, string> = { person: '', company: '', confidential: '' };
    const assignment: Record<Key, string> = { person: '', company: '', confidential: '' };
    /** the tax bureau's assignment on the person's entry: acknowledged by no one, no feedback */
    let taxAssignment = '';
    const caseId: Record<'finance' | 'court', string> = { finance: '', court: '' };
    const tracking = () => platform.url.tracking;
    const summary =
      `${person.name}（身份证号${person.id}）有履行能力而拒不履行，被列入失信被执行人名单；` +
      '财政局在政府采购中限制其投标，其后主动履行全部义务。';

    const nominate = (token: string, body: Record<string, unknown>) =>
      api<CaseView & Problem>('POST', `${tracking()}/v1/cases`, { token, body });
    const caseBody = (overrides: Record<string, unknown> = {}) => ({
      title: '失信被执行人受政府采购限制后主动履行',
      summary,
      kind: 'punishment',
      entryIds: [entry.person],
      assignmentIds: [assignment.person],
      ...overrides,
    });
    const step = (id: string, action: string, token = t.supervisor, body: unknown = {}) =>
      api<CaseView & Problem>('POST', `${tracking()}/v1/cases/${id}/${action}`, { token, body });
    const list = (query: string, token = t.supervisor) =>
      api<{ items: CaseView[]; nextCursor: string | null } & Problem>(
        'GET',
        `${tracking()}/v1/cases${query}`,
        { token },
      );
    const download = (query: string, token = t.supervisor) =>
      fetch(`${tracking()}/v1/reports/cases${query}`, { headers: { authorization: `Bearer ${token}` } });
    const csvLines = async (response: Response) =>
      Buffer.from(await response.arrayBuffer())
        .subarray(3)
        .toString('utf8')
        .trim()
        .split('\r\n');

    beforeAll(async () => {
      platform = await start();
      for (const [name, dept, role] of [
        ['admin', 'CREDIT_OFFICE', 'admin'],
        ['supervisor', 'CREDIT_OFFICE', 'supervisor'],
        ['court', 'COURT', 'initiator'],
        ['finance', 'FINANCE', 'implementer'],
        ['police', 'POLICE', 'implementer'],
        ['xihu', 'XIHU_COURT', 'initiator'],
      ] as const)
        t[name] = await platform.token(dept, [role]);
      for (const [code, region] of [
        ['COURT', '330100'],
        ['FINANCE', '330100'],
        ['POLICE', '330100'],
        ['TAX', '330100'],
        ['XIHU_COURT', '330200'],
      ]) {
        const res = await api('POST', `${platform.url.registry}/v1/departments`, {
          token: t.admin,
          body: { code, name: code, region },
        });
        if (res.status !== 201) throw new Error(`department ${code}: ${res.status}`);
      }
      await waitFor(
        async () =>
          (await api('GET', `${platform.url.registry}/v1/list-types`, { token: t.xihu })).status === 200,
        { message: 'the new departments accepted' },
      );
      for (const [code, infoClass] of [
        ['COURT_DEFAULTER', 'A'],
        ['COURT_CONFIDENTIAL', 'B'],
      ]) {
        const listType = await api('POST', `${platform.url.registry}/v1/list-types`, {
          token: t.admin,
          body: {
            code,
            name: '失信被执行人名单',
            colour: 'black',
            ownerDept: 'COURT',
            legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
            infoClass,
            severity: 'serious',
            defaultPeriodDays: 730,
            subjectKinds: ['legal_person', 'individual'],
            noticeWorkingDays: 0,
            minStatementWorkingDays: 0,
            minStatementReason: 'test: published at once',
            suspendOnObjection: false,
            openEndedAllowed: true,
          },
        });
        if (listType.status !== 201) throw new Error(`list type: ${JSON.stringify(listType.body)}`);
      }
      const memorandum = await api('POST', `${platform.url.trigger}/v1/memoranda`, {
        token: t.admin,
        body: {
          code: 'MOU-CASES',
          title: '失信联合惩戒',
          documentNo: 'd',
          listTypes: ['COURT_DEFAULTER', 'COURT_CONFIDENTIAL'],
          measures: [
            {
              code: 'TAX_CHECK',
              text: '从严审核出口退税',
              kind: 'punishment',
              dept: 'TAX',
              legalBasis: '《中华人民共和国税收征收管理法》第三十三条',
              subjectKinds: ['legal_person', 'individual'],
              actions: ['export_tax_refund'],
              mode: 'block',
              feedbackWorkingDays: 5,
            },
            {
              code: 'NO_BID',
              text: '限制参与政府采购活动',
              kind: 'punishment',
              dept: 'FINANCE',
              legalBasis: '《中华人民共和国政府采购法》第二十二条',
              subjectKinds: ['legal_person', 'individual'],
              actions: ['government_procurement_bid'],
              mode: 'block',
              feedbackWorkingDays: 5,
            },
          ],
        },
      });
      if (memorandum.status !== 201) throw new Error(`memorandum: ${JSON.stringify(memorandum.body)}`);
      for (const [key, subject, extra] of [
        ['person', person, { openEnded: true }],
        ['company', company, {}],
        ['confidential', confidential, { listType: 'COURT_CONFIDENTIAL' }],
      ] as const) {
        const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
          token: t.court,
          body: {
            listType: 'COURT_DEFAULTER',
            subject,
            decision: { documentNo: `(2026)浙0106执${key}号`, date: today(), facts: '有履行能力而拒不履行' },
            ...extra,
          },
        });
        if (created.status !== 201) throw new Error(`entry: ${JSON.stringify(created.body)}`);
        entry[key] = created.body.id;
        for (const s of ['notice', 'publish']) {
          const res = await api('POST', `${platform.url.registry}/v1/list-entries/${entry[key]}/${s}`, {
            token: t.court,
          });
          if (res.status !== 200) throw new Error(`${s}: ${JSON.stringify(res.body)}`);
        }
      }
      const inbox = await waitFor(
        async () => {
          const res = await api<{ items: { id: string; entryId: string }[] }>(
            'GET',
            `${platform.url.enforcement}/v1/inbox`,
            { token: t.finance },
          );
          return res.body.items?.length === 3 ? res.body.items : undefined;
        },
        { message: 'both assignments in the finance bureau inbox' },
      );
      for (const item of inbox) {
        const key = (Object.keys(entry) as Key[]).find((k) => entry[k] === item.entryId)!;
        assignment[key] = item.id;
        await api('POST', `${platform.url.enforcement}/v1/assignments/${item.id}/ack`, { token: t.finance });
        const reported = await api('POST', `${platform.url.enforcement}/v1/assignments/${item.id}/feedback`, {
          token: t.finance,
          body: { outcome: 'enforced', detail: `已在政府采购中限制其投标（${key}）`, reference: 'CG-2026-1' },
        });
        if (reported.status >= 300) throw new Error(`feedback: ${JSON.stringify(reported.body)}`);
      }
      const issued = await api<{ items: { id: string; dept: string }[] }>(
        'GET',
        `${platform.url.trigger}/v1/assignments?entryId=${entry.person}`,
        { token: t.supervisor },
      );
      taxAssignment = issued.body.items.find((a) => a.dept === 'TAX')!.id;
    }, 180_000);

    afterAll(async () => {
      await platform?.close();
    });

    it('nominates a case from a published entry and the enforcement feedback that makes it typical', async () => {
      // tracking learns the feedback and the departments' regions from the events: wait for both
      const created = await waitFor(
        async () => {
          const res = await nominate(t.finance, caseBody());
          return res.status === 201 ? res : undefined;
        },
        { message: 'the case nominated', timeoutMs: 30_000 },
      );
      caseId.finance = created.body.id;
      expect(created.body).toMatchObject({
        status: 'submitted',
        kind: 'punishment',
        region: '330100',
        nominatingDept: 'FINANCE',
        entries: [{ entryId: entry.person, subject: { id: person.id, name: person.name } }],
        feedback: [
          {
            assignmentId: assignment.person,
            dept: 'FINANCE',
            detail: '已在政府采购中限制其投标（person）',
            measure: { code: 'NO_BID' },
          },
        ],
      });
      // an open-ended entry: no end date, and says so (decision 0033)
      expect(created.body.entries[0].period).toMatchObject({ to: null, openEnded: true });
    });

    it('refuses an unknown entry, an entry of another region, an uninvolved department, naming the field', async () => {
      const unknown = await nominate(
        t.finance,
        caseBody({ entryIds: [entry.person, '00000000-0000-4000-8000-000000000001'] }),
      );
      expect(unknown.status).toBe(422);
      expect(unknown.body.code).toBe('CASE.ENTRY_UNKNOWN');
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'entryIds[1]' })]);

      const elsewhere = await nominate(t.xihu, caseBody());
      expect(elsewhere.status).toBe(422);
      expect(elsewhere.body.code).toBe('CASE.ENTRY_OUTSIDE_REGION');
      expect(elsewhere.body.errors?.[0].field).toBe('entryIds[0]');

      const uninvolved = await nominate(t.police, caseBody());
      expect(uninvolved.status).toBe(403);
      expect(uninvolved.body.code).toBe('CASE.NOT_INVOLVED');

      const kind = await nominate(t.finance, caseBody({ kind: 'incentive' }));
      expect(kind.status).toBe(422);
      expect(kind.body.errors?.[0]).toMatchObject({ field: 'kind', code: 'CASE.KIND_MISMATCH' });

      const other = await nominate(t.finance, caseBody({ assignmentIds: [assignment.company] }));
      expect(other.status).toBe(422);
      expect(other.body.errors?.[0]).toMatchObject({
        field: 'assignmentIds[0]',
        code: 'CASE.ASSIGNMENT_UNKNOWN',
      });

      const unreported = await nominate(
        t.finance,
        caseBody({ assignmentIds: [assignment.person, taxAssignment] }),
      );
      expect(unreported.status).toBe(422);
      expect(unreported.body.errors?.[0]).toMatchObject({
        field: 'assignmentIds[1]',
        code: 'CASE.NO_FEEDBACK',
      });

      const noTitle = await nominate(t.finance, caseBody({ title: undefined, entryIds: [] }));
      expect(noTitle.status).toBe(400);
      expect(fields(noTitle.body)).toEqual(['entryIds', 'title']);
    });

    it('lets only initiators and implementers nominate, and only the credit office screen (403)', async () => {
      const bySupervisor = await nominate(t.supervisor, caseBody());
      expect([bySupervisor.status, bySupervisor.body.code]).toEqual([403, 'AUTH.ROLE_FORBIDDEN']);
      const byImplementer = await step(caseId.finance, 'screening', t.finance);
      expect([byImplementer.status, byImplementer.body.code]).toEqual([403, 'AUTH.ROLE_FORBIDDEN']);
      const byInitiator = await step(caseId.finance, 'accept', t.court);
      expect([byInitiator.status, byInitiator.body.code]).toEqual([403, 'AUTH.ROLE_FORBIDDEN']);
      // another department does not learn that the case exists, nor a supervisor of another region
      const read = await api<Problem>('GET', `${tracking()}/v1/cases/${caseId.finance}`, { token: t.court });
      expect([read.status, read.body.code]).toEqual([404, 'CASE.NOT_FOUND']);
      const there = await platform.supervisorOf('330200');
      const far = await step(caseId.finance, 'screening', there);
      expect([far.status, far.body.code]).toEqual([404, 'CASE.NOT_FOUND']);
      expect((await list('', there)).body.items).toEqual([]);
      const here = await platform.supervisorOf('330100');
      expect((await list('', here)).body.items.map((c) => c.id)).toEqual([caseId.finance]);
    });

    it('is screened, accepted and published by the credit office, in that order only', async () => {
      const early = await step(caseId.finance, 'publication');
      expect([early.status, early.body.code]).toEqual([409, 'CASE.ILLEGAL_TRANSITION']);
      expect((await step(caseId.finance, 'screening')).body.status).toBe('screening');
      const accepted = await step(caseId.finance, 'accept', t.supervisor, { note: '择优上报' });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({
        status: 'accepted',
        decision: { outcome: 'accepted', note: '择优上报' },
      });
      expect((await step(caseId.finance, 'publication', t.admin)).body.status).toBe('published');
    });

    it('shows a published case to the public without a token, the person masked, summary included', async () => {
      const res = await api<{ items: PublicCase[] }>('GET', `${tracking()}/public/v1/cases`);
      expect(res.status).toBe(200);
      const shown = res.body.items.find((c) => c.id === caseId.finance)!;
      expect(shown.entries[0].subject).toEqual({
        kind: 'individual',
        id: `3301**********${person.id.slice(-4)}`,
        name: '张**',
      });
      expect(shown.summary).toContain('张**（身份证号3301**********');
      expect(shown.entries[0].period).toMatchObject({ to: null, openEnded: true });
      expect(shown.measures).toEqual([expect.objectContaining({ dept: 'FINANCE', measureCode: 'NO_BID' })]);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(person.id);
      expect(text).not.toContain(person.name);
      expect(text).not.toContain('已在政府采购中限制其投标'); // feedback texts stay inside
    });

    it('records a staff read of the full case in the access log', async () => {
      const read = await api<CaseView>('GET', `${tracking()}/v1/cases/${caseId.finance}`, {
        token: t.supervisor,
      });
      expect(read.body.entries[0].subject.id).toBe(person.id);
      await waitFor(
        async () => {
          const log = await api<{ items: { what: string; dept: string }[] }>(
            'GET',
            `${platform.url.enforcement}/v1/access-log?subjectId=${person.id}`,
            { token: t.supervisor },
          );
          return log.body.items?.some((r) => r.what === 'GET /v1/cases/:id' && r.dept === 'CREDIT_OFFICE');
        },
        { message: 'the read of the case in the access log' },
      );
    });

    it('rejects a case with a reason, which the nominating department reads', async () => {
      const created = await nominate(
        t.court,
        caseBody({
          title: '建材公司失信案例',
          summary: `${company.name}（${company.id}）被限制投标。`,
          entryIds: [entry.company],
          assignmentIds: [assignment.company],
        }),
      );
      expect(created.status).toBe(201);
      caseId.court = created.body.id;
      await step(caseId.court, 'screening');
      const bare = await step(caseId.court, 'reject', t.supervisor, {});
      expect(bare.status).toBe(400);
      expect(fields(bare.body)).toEqual(['reason']);
      const rejected = await step(caseId.court, 'reject', t.supervisor, { reason: '效果不够典型' });
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        decision: { outcome: 'rejected', reason: '效果不够典型' },
      });
      const again = await step(caseId.court, 'accept');
      expect([again.status, again.body.code]).toEqual([409, 'CASE.ILLEGAL_TRANSITION']);
      const read = await api<CaseView>('GET', `${tracking()}/v1/cases/${caseId.court}`, { token: t.court });
      expect(read.body.decision).toMatchObject({ outcome: 'rejected', reason: '效果不够典型' });
    });

    it('lists cases with filters and cursor paging; a department sees its own only', async () => {
      expect((await list('?status=rejected')).body.items.map((c) => c.id)).toEqual([caseId.court]);
      expect((await list('?dept=FINANCE')).body.items.map((c) => c.id)).toEqual([caseId.finance]);
      expect((await list('?kind=incentive')).body.items).toEqual([]);
      expect((await list(`?from=${tomorrow()}`)).body.items).toEqual([]);
      expect((await list(`?from=${today()}&to=${today()}`)).body.items).toHaveLength(2);
      const first = await list('?limit=1');
      expect(first.body.items).toHaveLength(1);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await list(`?limit=1&cursor=${first.body.nextCursor}`);
      expect([...first.body.items, ...second.body.items].map((c) => c.id).sort()).toEqual(
        [caseId.finance, caseId.court].sort(),
      );
      expect(second.body.nextCursor).toBeNull();
      expect((await list('', t.court)).body.items.map((c) => c.id)).toEqual([caseId.court]);
      const foreign = await list('?dept=FINANCE', t.court);
      expect([foreign.status, foreign.body.code]).toEqual([403, 'CASE.OUTSIDE_DEPARTMENT']);
      const bad = await list('?status=lost');
      expect(bad.status).toBe(400);
    });

    it('exports the accepted cases of a period for the province as CSV and XLSX, persons masked', async () => {
      const csv = await download(`?format=csv&from=${today()}&to=${today()}`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = await csvLines(csv);
      const header = lines[0].split(',');
      expect(lines).toHaveLength(2); // the rejected case is not sent
      const row = lines[1].split(',');
      const cell = (name: string) => row[header.findIndex((h) => h.endsWith(` ${name}`))];
      expect(cell('id')).toBe(caseId.finance);
      expect(cell('subjects')).toBe(`张** 3301**********${person.id.slice(-4)}`);
      expect(cell('periodTo')).toBe('');
      expect(cell('openEnded')).toBe('yes');
      expect(cell('measures')).toBe('FINANCE:NO_BID');
      expect(cell('status')).toBe('published');
      expect(lines.join('\n')).not.toContain(person.id);

      const xlsx = await download(`?format=xlsx&from=${today()}`);
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await xlsx.arrayBuffer()) as ArrayBuffer);
      const sheet = book.worksheets[0];
      expect(String(sheet.getRow(1).getCell(1).value)).toContain('联合奖惩典型案例');
      expect(sheet.rowCount).toBe(3);
      expect(sheet.getRow(3).getCell(1).value).toBe(caseId.finance);
      expect(sheet.getRow(3).getCell(3).value).toBe('punishment');

      expect(await csvLines(await download(`?from=${tomorrow()}`))).toHaveLength(1); // header only
      expect((await download('', t.finance)).status).toBe(403);
    });

    it('shows an open-ended entry the same way in the public entries and the subject record', async () => {
      const shown = await api<{ items: { entryId: string; period: Period }[] }>(
        'GET',
        `${platform.url.registry}/public/v1/entries?q=${person.id}`,
      );
      expect(shown.body.items.find((e) => e.entryId === entry.person)?.period).toMatchObject({
        to: null,
        openEnded: true,
      });
      const own = await platform.subjectToken(person.id);
      const record = await waitFor(
        async () => {
          const res = await api<{
            entries: { id: string; period: Period }[];
            measures: { entryId: string; until: string | null; openEnded: boolean }[];
          }>('GET', `${platform.url.registry}/v1/me/record`, { token: own });
          return res.body.measures?.length ? res.body : undefined;
        },
        { message: 'the measures in the subject record' },
      );
      expect(record.entries.find((e) => e.id === entry.person)?.period).toMatchObject({
        to: null,
        openEnded: true,
      });
      expect(record.measures[0]).toMatchObject({ entryId: entry.person, until: null, openEnded: true });
      expect(JSON.stringify(record)).not.toContain('9999');
    });

    it('withdraws a published case from the public list', async () => {
      const bare = await step(caseId.finance, 'withdrawal', t.supervisor, {});
      expect(fields(bare.body)).toEqual(['reason']);
      const withdrawn = await step(caseId.finance, 'withdrawal', t.supervisor, { reason: '主体申请' });
      expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawal: { reason: '主体申请' } });
      const res = await api<{ items: PublicCase[] }>('GET', `${tracking()}/public/v1/cases`);
      expect(res.body.items.map((c) => c.id)).not.toContain(caseId.finance);
    });

    it('publishes only cases of public (class-A) entries', async () => {
      const created = await nominate(
        t.court,
        caseBody({
          title: '物流公司失信案例',
          entryIds: [entry.confidential],
          assignmentIds: [assignment.confidential],
        }),
      );
      expect(created.status).toBe(201);
      await step(created.body.id, 'screening');
      expect((await step(created.body.id, 'accept')).body.status).toBe('accepted');
      const published = await step(created.body.id, 'publication');
      expect(published.status).toBe(422);
      expect(published.body.errors?.[0]).toMatchObject({
        field: 'entryIds[0]',
        code: 'CASE.NOT_PUBLIC_INFORMATION',
      });
      expect(
        (await api<CaseView>('GET', `${tracking()}/v1/cases/${created.body.id}`, { token: t.court })).body
          .status,
      ).toBe('accepted');
    });

    if (options.anonymise) {
      const anonymise = options.anonymise;
      it("anonymises a case's copy of an entry with the entry (retention)", async () => {
        const ended = await api('POST', `${platform.url.registry}/v1/list-entries/${entry.company}/end`, {
          token: t.court,
          body: { reason: 'revoked', note: '撤销' },
        });
        expect(ended.status).toBe(200);
        expect(await anonymise(platform, new Date(Date.now() + 1827 * 86_400_000))).toBeGreaterThanOrEqual(1);
        const read = await waitFor(
          async () => {
            const res = await api<CaseView & { title: string }>(
              'GET',
              `${tracking()}/v1/cases/${caseId.court}`,
              {
                token: t.court,
              },
            );
            return res.body.entries?.[0].subject.id.startsWith('anon:') ? res.body : undefined;
          },
          { message: 'the case anonymised' },
        );
        expect(read.entries[0].subject.name).toBe('');
        expect(read.summary).toBe(`***（${read.entries[0].subject.id}）被限制投标。`);
        expect(JSON.stringify(read)).not.toContain(company.id);
      });
    }
  });
}

/** A subject's token as the identity provider would mint it. */
export const subjectTokenWith = (secret: string) => (identifier: string) =>
  mintToken({ sub: identifier, dept: '', roles: ['subject'] }, secret);

/** A credit office supervisor's token with a region claim. */
export const regionSupervisorWith = (secret: string) => (region: string) =>
  mintToken({ sub: `supervisor-${region}`, dept: 'CREDIT_OFFICE', roles: ['supervisor'], region }, secret);
