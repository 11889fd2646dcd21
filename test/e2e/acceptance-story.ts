import { loadDemoCatalog } from '../../scripts/demo-catalog';
import { Role } from '@credit/contracts';
import { idNumber } from '../registry/registry-fixtures';
import { waitFor } from '../support/infra';
import { api, ServiceName } from '../support/services';

/** What the story needs of a running platform: where each service answers, and tokens. */
export interface StoryPlatform {
  url: Record<ServiceName, string>;
  token(dept: string, roles: Role[]): Promise<string>;
  /** seals the trail now, where the test can reach the job; otherwise the platform's interval does */
  seal?: () => Promise<void>;
  /**
   * How long the fan-out and the lift may take end to end (default 5 s). Their speed is the benchmarks'
   * to measure; this bound catches a step that hangs on a retry or a poll.
   */
  stepBudgetMs?: number;
  close(): Promise<void>;
}

type Check = {
  checkId: string;
  decision: string;
  reasons: {
    entryId: string;
    listType: string;
    measureCode: string;
    dept: string;
    legalBasis: string;
    until: string;
  }[];
};
type Assignment = { id: string; dept: string; measureCode: string; status: string; target: { id: string } };

/**
 * DOMAIN.md's story, end to end against the demo catalog: the court lists a company, the procurement
 * centre's check answers BLOCK and the hit is recorded, departments acknowledge, the company repairs,
 * lifts reach every department, the same check answers ALLOW, the lifts are confirmed, and the trail shows
 * every step. Run against the distributed layout (acceptance-story.e2e-cases.ts) and the embedded mode
 * (embedded.e2e-cases.ts); `onDone` is told the entry's id after the story.
 */
export function describeAcceptanceStory(
  title: string,
  start: () => Promise<StoryPlatform>,
  onDone?: (story: { entryId: string }) => void,
): void {
  describe(`the acceptance story (DOMAIN.md), ${title}`, () => {
    let platform: StoryPlatform;
    const t: Record<string, string> = {};
    const COMPANY = { kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '杭州某某科技有限公司' };
    const LEGAL_REP = {
      role: 'legal_representative',
      kind: 'individual',
      id: idNumber('19790315', '517'),
      name: '陈某',
    };
    let entryId: string;
    let assignments: Assignment[];

    beforeAll(async () => {
      platform = await start();
      for (const [name, dept, role] of [
        ['admin', 'CREDIT_OFFICE', 'admin'],
        ['supervisor', 'CREDIT_OFFICE', 'supervisor'],
        ['court', 'COURT', 'initiator'],
        ['procurement', 'FINANCE', 'system'],
        ['police', 'POLICE', 'system'],
      ] as const) {
        t[name] = await platform.token(dept, [role]);
      }
      await loadDemoCatalog({
        registryUrl: platform.url.registry,
        triggerUrl: platform.url.trigger,
        adminToken: t.admin,
      });
    });

    afterAll(async () => {
      if (entryId) onDone?.({ entryId });
      await platform?.close();
    });

    const check = async (token: string, id: string, action: string, stage = 'approval') =>
      (
        await api<Check>('POST', `${platform.url.enforcement}/v1/checks`, {
          token,
          body: { subject: { id }, action, stage },
        })
      ).body;

    it('1–2. the court lists the company; every measure becomes an assignment within a second', async () => {
      const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
        token: t.court,
        body: {
          listType: 'COURT_DEFAULTER',
          subject: COMPANY,
          relatedPersons: [LEGAL_REP],
          decision: {
            documentNo: '(2026)浙0106执1234号',
            date: '2026-11-02',
            facts: '有履行能力而拒不履行生效法律文书确定义务',
          },
        },
      });
      expect(created.status).toBe(201);
      entryId = created.body.id;
      await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/notice`, {
        token: t.court,
        body: { channel: 'post' },
      });
      const published = Date.now();
      expect(
        (await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/publish`, { token: t.court }))
          .status,
      ).toBe(200);
      assignments = await waitFor(
        async () => {
          const res = await api<{ items: Assignment[] }>(
            'GET',
            `${platform.url.trigger}/v1/assignments?entryId=${entryId}&limit=500`,
            {
              token: t.supervisor,
            },
          );
          return res.body.items.length >= 15 ? res.body.items : undefined;
        },
        { message: 'the fan-out' },
      );
      expect(Date.now() - published).toBeLessThan(platform.stepBudgetMs ?? 5000);
      expect(new Set(assignments.map((a) => a.dept)).size).toBeGreaterThanOrEqual(10);
    });

    it('3. the procurement centre’s bidding system is told BLOCK, citing entry, measure and legal basis', async () => {
      const answer = await waitFor(
        async () => {
          const res = await check(t.procurement, COMPANY.id, 'government_procurement_bid');
          return res.decision === 'block' ? res : undefined;
        },
        { message: 'the check answers block' },
      );
      expect(answer.reasons).toEqual([
        expect.objectContaining({
          entryId,
          listType: 'COURT_DEFAULTER',
          measureCode: 'DEF-PROCUREMENT-BAN',
          dept: 'FINANCE',
        }),
      ]);
      expect(answer.reasons[0].legalBasis).toMatch(/政府采购法/);
      // found by its organization code too, and the legal representative by their own ID number
      expect((await check(t.procurement, 'MA2H7QK4-X', 'government_procurement_bid')).decision).toBe('block');
      expect((await check(t.police, LEGAL_REP.id, 'exit_entry', 'acceptance')).decision).toBe('block');
      expect((await check(t.police, COMPANY.id, 'exit_entry')).decision).toBe('allow');
      // the department records what it did with the hit: enforcement feedback nobody typed
      const decided = await api('POST', `${platform.url.enforcement}/v1/checks/${answer.checkId}/decisions`, {
        token: t.procurement,
        body: { outcome: 'applied' },
      });
      expect(decided.status).toBe(201);
      const finance = assignments.find((a) => a.measureCode === 'DEF-PROCUREMENT-BAN')!;
      await waitFor(
        async () => {
          const res = await api<{ items: Assignment[] }>(
            'GET',
            `${platform.url.trigger}/v1/assignments?entryId=${entryId}&dept=FINANCE`,
            {
              token: t.supervisor,
            },
          );
          return res.body.items.find((a) => a.id === finance.id)?.status === 'enforced';
        },
        { message: 'the procurement ban is enforced' },
      );
    });

    it('3b. a batch check answers for every bidder at once', async () => {
      const res = await api<{ items: Check[] }>('POST', `${platform.url.enforcement}/v1/checks/batch`, {
        token: t.procurement,
        body: {
          subjects: [{ id: COMPANY.id }, { id: '91330106MA2H7QK45E' }, { id: LEGAL_REP.id }],
          action: 'government_procurement_bid',
          stage: 'acceptance',
        },
      });
      expect(res.body.items.map((i) => i.decision)).toEqual(['block', 'allow', 'allow']);
      const bad = await api<{ code: string; errors: { field: string }[] }>(
        'POST',
        `${platform.url.enforcement}/v1/checks`,
        {
          token: t.procurement,
          body: { subject: {}, action: 'Procurement!', stage: 'sometime', extra: true },
        },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION.FAILED');
      expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['action', 'extra', 'stage', 'subject.id']);
    });

    it("4. supervisors read the check log; a person's ID number is masked unless the reader is an admin", async () => {
      type Log = { items: { subjectId: string; dept: string; action: string; decision: string }[] };
      const read = (token: string, query: string) =>
        api<Log>('GET', `${platform.url.enforcement}/v1/check-log?${query}`, { token });
      const masked = await waitFor(
        async () => {
          const res = await read(t.supervisor, 'action=exit_entry');
          return res.body.items?.length >= 2 ? res.body.items : undefined;
        },
        { message: 'checks logged' },
      );
      expect(masked.map((i) => i.subjectId)).toContain(COMPANY.id);
      expect(masked.map((i) => i.subjectId)).not.toContain(LEGAL_REP.id);
      expect(masked.find((i) => i.subjectId !== COMPANY.id)!.subjectId).toMatch(/^\d{4}\*+\w{2}$/);
      const clear = await read(t.admin, 'action=exit_entry');
      expect(clear.body.items.map((i) => i.subjectId)).toContain(LEGAL_REP.id);
      const byDept = await read(t.supervisor, 'dept=FINANCE&decision=block');
      expect(byDept.body.items.length).toBeGreaterThan(0);
      expect(byDept.body.items.every((i) => i.dept === 'FINANCE' && i.decision === 'block')).toBe(true);
      expect((await read(t.procurement, '')).status).toBe(403);
    });

    it('4b. supervisors see how often each department checks, with ID numbers masked unless admin', async () => {
      type Summary = {
        items: {
          dept: string;
          checks: number;
          subjects: number;
          subjectsEstimated: boolean;
          hits: number;
          hitsDecided: number;
          byDecision: Record<string, number>;
          byStage: Record<string, number>;
          byAction: { action: string; checks: number; hits: number }[];
          daily: { day: string; checks: number; hits: number }[];
          topSubjects: { subjectId: string; checks: number; hits: number }[];
        }[];
      };
      type Log = { items: { decision: string; subjectId: string }[]; nextCursor: string | null };
      // the same checks as the log lists, once the log's write-behind buffer is stored. The summary reads
      // its counts and its subjects in separate statements, not one snapshot: a flush between them gives
      // one answer whose checks match the log while its subjects already count the next batch (CI, once:
      // 4 against 2). Both agreeing is the state to test; a later read has it.
      const { summary, log } = await waitFor(
        async () => {
          const log = await api<Log>(
            'GET',
            `${platform.url.enforcement}/v1/check-log?dept=FINANCE&limit=500`,
            {
              token: t.supervisor,
            },
          );
          const summary = await api<Summary>('GET', `${platform.url.enforcement}/v1/check-log/summary`, {
            token: t.supervisor,
          });
          const finance = summary.body.items?.find((i) => i.dept === 'FINANCE');
          const subjects = new Set(log.body.items.map((i) => i.subjectId)).size;
          return finance?.checks === log.body.items.length && finance.subjects === subjects
            ? { summary, log }
            : undefined;
        },
        { message: 'the summary counts the logged checks' },
      );
      expect(summary.status).toBe(200);
      const finance = summary.body.items.find((i) => i.dept === 'FINANCE')!;
      expect(finance.subjects).toBe(new Set(log.body.items.map((i) => i.subjectId)).size);
      expect(finance.subjectsEstimated).toBe(false); // counted, not estimated, below 4,096 (decision 0079)
      expect(finance.byDecision.block).toBe(log.body.items.filter((i) => i.decision === 'block').length);
      expect(finance.hitsDecided).toBe(1);
      expect(finance.byAction.map((a) => a.action)).toEqual(['government_procurement_bid']);
      expect(finance.daily.reduce((n, d) => n + d.checks, 0)).toBe(finance.checks);
      expect(finance.byStage.acceptance + finance.byStage.approval).toBe(finance.checks);
      const police = summary.body.items.find((i) => i.dept === 'POLICE')!;
      expect(police.topSubjects.map((s) => s.subjectId)).not.toContain(LEGAL_REP.id);
      expect(police.topSubjects.map((s) => s.subjectId)).toContain(COMPANY.id);
      const asAdmin = await api<Summary>(
        'GET',
        `${platform.url.enforcement}/v1/check-log/summary?dept=POLICE&top=1`,
        { token: t.admin },
      );
      expect(asAdmin.body.items.map((i) => i.dept)).toEqual(['POLICE']);
      expect(asAdmin.body.items[0].topSubjects).toHaveLength(1);
      const clear = await api<Summary>(
        'GET',
        `${platform.url.enforcement}/v1/check-log/summary?dept=POLICE`,
        {
          token: t.admin,
        },
      );
      expect(clear.body.items[0].topSubjects.map((s) => s.subjectId)).toContain(LEGAL_REP.id);
      const empty = await api<Summary>(
        'GET',
        `${platform.url.enforcement}/v1/check-log/summary?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`,
        { token: t.supervisor },
      );
      expect(empty.body.items).toEqual([]);
      expect(
        (await api('GET', `${platform.url.enforcement}/v1/check-log/summary`, { token: t.procurement }))
          .status,
      ).toBe(403);
    });

    it('5. the company repairs; lifts reach every department and the same check answers ALLOW', async () => {
      const ended = await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/end`, {
        token: t.court,
        body: { reason: 'repaired', note: '已履行全部义务' },
      });
      expect(ended.status).toBe(200);
      const endedAt = Date.now();
      await waitFor(
        async () =>
          (await check(t.procurement, COMPANY.id, 'government_procurement_bid')).decision === 'allow',
        {
          message: 'the check answers allow',
        },
      );
      expect(Date.now() - endedAt).toBeLessThan(platform.stepBudgetMs ?? 5000);
      expect((await check(t.police, LEGAL_REP.id, 'exit_entry')).decision).toBe('allow');
      await waitFor(
        async () => {
          const res = await api<{ items: Assignment[] }>(
            'GET',
            `${platform.url.trigger}/v1/assignments?entryId=${entryId}&limit=500`,
            {
              token: t.supervisor,
            },
          );
          return res.body.items.every((a) => a.status === 'lifted');
        },
        { message: 'every assignment lifted' },
      );
      const finance = assignments.find((a) => a.measureCode === 'DEF-PROCUREMENT-BAN')!;
      const confirmed = await waitFor(async () => {
        const res = await api(
          'POST',
          `${platform.url.enforcement}/v1/assignments/${finance.id}/lift-confirmation`,
          { token: t.procurement },
        );
        return res.status === 200 ? res : undefined;
      });
      expect(confirmed.body).toMatchObject({ status: 'lift_confirmed' });
    });

    it("6. the entry's trail shows every step, in order, and verifies", async () => {
      const trail = await waitFor(
        async () => {
          const res = await api<{ items: { type: string; actorDept: string }[] }>(
            'GET',
            `${platform.url.tracking}/v1/list-entries/${entryId}/trail`,
            { token: t.supervisor },
          );
          const types = res.body.items?.map((r) => r.type) ?? [];
          return types.includes('credit.feedback.lift-confirmed.v1') ? types : undefined;
        },
        { message: 'the trail has the lift confirmation' },
      );
      const first = (type: string) => trail.indexOf(type);
      expect(first('credit.list-entry.noticed.v1')).toBe(0); // the notice (告知) comes first
      expect(first('credit.list-entry.published.v1')).toBe(1);
      expect(first('credit.assignment.issued.v1')).toBeGreaterThan(0);
      expect(first('credit.check.hit.v1')).toBeGreaterThan(first('credit.assignment.issued.v1'));
      expect(first('credit.feedback.enforced.v1')).toBeGreaterThan(first('credit.check.hit.v1'));
      expect(first('credit.list-entry.ended.v1')).toBeGreaterThan(first('credit.feedback.enforced.v1'));
      expect(first('credit.assignment.lifted.v1')).toBeGreaterThan(first('credit.list-entry.ended.v1'));
      expect(first('credit.feedback.lift-confirmed.v1')).toBeGreaterThan(
        first('credit.assignment.lifted.v1'),
      );
      // once tracking has read everything published so far, every record is sealed into the chain
      const verify = await waitFor(
        async () => {
          await platform.seal?.();
          const res = await api<{ valid: boolean; records: number; sealed: number; unsealed: number }>(
            'GET',
            `${platform.url.tracking}/v1/list-entries/${entryId}/trail/verify`,
            { token: t.supervisor },
          );
          return res.body.unsealed === 0 ? res.body : undefined;
        },
        { message: 'the whole trail sealed' },
      );
      expect(verify).toMatchObject({ valid: true, sealed: verify.records });
      expect(verify.records).toBeGreaterThanOrEqual(trail.length);
    });

    it("7. the supervisor's assessment of the procurement centre's department matches what happened", async () => {
      type Figures = Record<string, number>;
      type Assessment = {
        dept: string;
        totals: Figures;
        checks: Figures;
        application: { share: number; applies: boolean; threshold: number };
        byMeasure: (Figures & { measureCode: string })[];
      };
      const res = await api<Assessment>(
        'GET',
        `${platform.url.tracking}/v1/reports/assessment?dept=FINANCE`,
        {
          token: t.supervisor,
        },
      );
      expect(res.status).toBe(200);
      const own = assignments.filter((a) => a.dept === 'FINANCE');
      expect(res.body.totals.received).toBe(own.length);
      expect(res.body.byMeasure.map((m) => m.measureCode)).toEqual(
        [...new Set(own.map((a) => a.measureCode))].sort(),
      );
      // the hit recorded as applied: acknowledged, enforced on time, lifted and the lift confirmed
      expect(res.body.byMeasure.find((m) => m.measureCode === 'DEF-PROCUREMENT-BAN')).toMatchObject({
        received: 1,
        acknowledged: 1,
        acknowledgedOnTime: 1,
        feedbackReported: 1,
        feedbackOnTime: 1,
        enforced: 1,
        acted: 1,
        lifted: 1,
        liftsConfirmed: 1,
        overdueNow: 0,
      });
      expect(res.body.totals.lifted).toBe(own.length);
      expect(res.body.checks.decided).toBe(1);
      expect(res.body.checks.applied).toBe(1);
      expect(res.body.checks.hits).toBeGreaterThanOrEqual(2); // the single check and the batch's
      expect(res.body.checks.hitsOnOwnMeasures).toBe(res.body.checks.hits);
      expect(res.body.application.share).toBe(res.body.totals.acted / own.length);
      expect(res.body.application.applies).toBe(res.body.application.share >= res.body.application.threshold);
      // the same cohort as the department statistics
      const stats = await api<{ items: Figures[] }>('GET', `${platform.url.tracking}/v1/stats/departments`, {
        token: t.supervisor,
      });
      const finance = stats.body.items.find((r) => (r as unknown as { dept: string }).dept === 'FINANCE')!;
      expect([finance.assigned, finance.acknowledged, finance.enforced, finance.liftsConfirmed]).toEqual([
        res.body.totals.received,
        res.body.totals.acknowledged,
        res.body.totals.enforced,
        res.body.totals.liftsConfirmed,
      ]);
    });
  });
}
