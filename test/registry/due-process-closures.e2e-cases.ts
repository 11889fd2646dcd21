import { mintToken, Principal } from '@credit/auth';
import { ExpireListEntriesJob } from '../../apps/registry/src/list-entries/expire-list-entries.job';
import { AcceptRepairUseCase } from '../../apps/registry/src/repairs/accept-repair.usecase';
import { DecideRepairUseCase } from '../../apps/registry/src/repairs/decide-repair.usecase';
import { RequestRepairMaterialUseCase } from '../../apps/registry/src/repairs/request-repair-material.usecase';
import { SubmitRepairUseCase } from '../../apps/registry/src/repairs/submit-repair.usecase';
import { docxText } from '../support/docx-text';
import { waitFor } from '../support/infra';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { RegistryUnderTest, startRegistry } from '../support/registry-app';
import { api, TEST_JWT_SECRET } from '../support/services';
import { DECISION, entry, seedRegistry, Tokens, tokensFor, uscc } from './registry-fixtures';

type Problem = { code: string; status: number };
type Doc = {
  id: string;
  kind: string;
  status: string;
  statementId: string | null;
  version: number;
  supersedes: string | null;
  superseded: boolean;
  supersededAt: string | null;
  download: string | null;
};
type Repair = {
  id: string;
  status: string;
  outcome: string | null;
  closedAt: string | null;
  closeReason: string | null;
  deadline: string | null;
  overdue: boolean;
};
type Statement = { id: string; status: string; closedAt: string | null; documents: Doc[] };
type Objection = { id: string; status: string; resolvedAt: string | null };
type Event = { type: string; subject: string; data: Record<string, unknown> };

/**
 * Decision 0030 over the real database and Kafka: the statement answer document, documents issued again
 * on a correction, the withdrawal of a repair application, and what is left open when an entry ends.
 */
describe('registry: due process — answers served, corrections reissued, withdrawals and closures', () => {
  let registry: RegistryUnderTest;
  let tokens: Tokens;
  let counter: string;
  let probe: KafkaProbe;
  let events: TopicReader;
  let submitRepair: SubmitRepairUseCase;
  let requestRepairMaterial: RequestRepairMaterialUseCase;
  let acceptRepair: AcceptRepairUseCase;
  let decideRepair: DecideRepairUseCase;
  const court: Principal = { sub: 'court-user', dept: 'COURT', roles: ['initiator'] };
  const url = () => registry.url;
  let n = 0;
  const repairBody = {
    statement: '已履行',
    commitment: { text: '承诺依法诚信经营' },
    conditions: [
      { code: 'obligations_performed', met: true, evidence: '结案通知书' },
      { code: 'behaviour_corrected', met: true, evidence: '整改报告' },
    ],
  };

  beforeAll(async () => {
    registry = await startRegistry();
    tokens = await tokensFor(registry);
    counter = await registry.token('CREDIT_OFFICE', ['credit_office']);
    await seedRegistry(registry, tokens);
    // a court list whose period may be extended (延长公示期), for the reissue on an extension
    const extendable = await api('POST', `${registry.url}/v1/list-types`, {
      token: tokens.admin,
      body: {
        code: 'COURT_EXTENDABLE',
        name: 'COURT_EXTENDABLE',
        colour: 'black',
        ownerDept: 'COURT',
        legalBasis: 'basis',
        infoClass: 'A',
        severity: 'serious',
        defaultPeriodDays: 730,
        subjectKinds: ['legal_person'],
        noticeWorkingDays: 0,
        minStatementWorkingDays: 0,
        minStatementReason: 'test: judicial procedure',
        suspendOnObjection: true,
        objectionWorkingDays: 5,
        extension: { minDays: 365, maxDays: 1095 },
      },
    });
    if (extendable.status !== 201) throw new Error(`list type: ${JSON.stringify(extendable.body)}`);
    submitRepair = registry.app.get(SubmitRepairUseCase);
    requestRepairMaterial = registry.app.get(RequestRepairMaterialUseCase);
    acceptRepair = registry.app.get(AcceptRepairUseCase);
    decideRepair = registry.app.get(DecideRepairUseCase);
    probe = new KafkaProbe(registry.topicPrefix);
    events = await probe.read('credit.list-entries');
  });

  afterAll(async () => {
    await probe?.close();
    await registry?.close();
  });

  const subjectToken = (id: string) => mintToken({ sub: id, dept: '', roles: ['subject'] }, TEST_JWT_SECRET);
  const nextCode = (prefix: string) => uscc(`${prefix}${String((n += 1)).padStart(8 - prefix.length, '0')}`);
  /** A serious court entry in force since 1 Sep 2025: repairable from 1 Sep 2026. */
  const inForce = async (prefix: string) => {
    const code = nextCode(prefix);
    const id = await entry(
      registry,
      tokens.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: code, name: '某公司' },
        decision: DECISION,
        period: {
          from: '2025-09-01T00:00:00+08:00',
          to: '2027-09-01T00:00:00+08:00',
          reason: '测试：公示已满一年，可申请修复',
        },
      },
      ['notice', 'publish'],
    );
    return { id, code, me: await subjectToken(code) };
  };
  /** A tax entry noticed, its statement period (5 working days) running. */
  const noticed = async (prefix: string) => {
    const code = nextCode(prefix);
    const id = await entry(
      registry,
      tokens.tax,
      {
        listType: 'TAX_MAJOR',
        subject: { kind: 'legal_person', id: code, name: '某公司' },
        decision: { ...DECISION, documentNo: '杭税稽罚〔2026〕12号' },
      },
      ['notice'],
    );
    return { id, code, me: await subjectToken(code) };
  };
  const call = <T>(method: string, path: string, token: string, body?: unknown) =>
    api<T & Problem>(method, `${url()}${path}`, { token, body });
  const documents = (entryId: string, token: string, ready: (docs: Doc[]) => boolean) =>
    waitFor(
      async () => {
        const res = await call<{ items: Doc[] }>('GET', `/v1/list-entries/${entryId}/documents`, token);
        return res.status === 200 && ready(res.body.items) ? res.body.items : undefined;
      },
      { message: `documents of ${entryId}` },
    );
  const download = async (path: string, token: string) => {
    const res = await fetch(`${url()}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('wordprocessingml');
    return docxText(Buffer.from(await res.arrayBuffer()));
  };
  const eventsOf = (entryId: string, prefix: string) =>
    events.records
      .map((r) => JSON.parse(r.value!) as Event)
      .filter((e) => e.subject === entryId && e.type.startsWith(prefix));
  const overdueIds = async () =>
    (
      await call<{ items: Repair[] }>('GET', '/v1/repair-applications?overdue=true', tokens.court)
    ).body.items.map((a) => a.id);

  describe('the statement answer (陈述申辩答复书)', () => {
    it('is served on the subject with the reason of a refusal, downloadable by it and the owner', async () => {
      const { id, me } = await noticed('ANA');
      const filed = await call<Statement>('POST', `/v1/list-entries/${id}/statements`, me, {
        content: '税款已于稽查前补缴，请求不予列入',
      });
      expect(filed.status).toBe(201);
      const reason = '补缴发生在稽查立案之后，不影响认定';
      const answered = await call<Statement>('POST', `/v1/statements/${filed.body.id}/answer`, tokens.tax, {
        accepted: false,
        reply: reason,
      });
      expect(answered.status).toBe(200);

      const docs = await documents(id, me, (d) => d.some((x) => x.kind === 'statement_answer' && x.download));
      const answer = docs.find((d) => d.kind === 'statement_answer')!;
      expect(answer).toMatchObject({ statementId: filed.body.id, version: 1, superseded: false });
      const text = await download(answer.download!, me);
      expect(text).toContain('陈述申辩答复书');
      expect(text).toContain(`不予采纳当事人的陈述申辩意见。理由：${reason}`);
      expect(text).toContain('税款已于稽查前补缴');
      expect(await download(answer.download!, tokens.tax)).toContain(reason);
      // another department and another subject are told it does not exist
      for (const token of [tokens.court, await subjectToken(nextCode('XTH'))]) {
        const res = await call<Problem>('GET', answer.download!, token);
        expect({ status: res.status, code: res.body.code }).toEqual({
          status: 404,
          code: 'DOCUMENT.NOT_FOUND',
        });
      }
      // the statement names its answer document; the event says which statement it answers
      const statement = await call<Statement>('GET', `/v1/statements/${filed.body.id}`, me);
      expect(statement.body.documents).toEqual([
        expect.objectContaining({ id: answer.id, kind: 'statement_answer', download: answer.download }),
      ]);
      const issued = await waitFor(() =>
        eventsOf(id, 'credit.document.issued').find((e) => e.data.documentId === answer.id),
      );
      expect(issued.data).toMatchObject({ kind: 'statement_answer', statementId: filed.body.id });
    });

    it('is served for an accepted statement too, saying what became of the entry', async () => {
      const { id, me } = await noticed('ANB');
      const filed = await call<Statement>('POST', `/v1/list-entries/${id}/statements`, counter, {
        content: '主体认定错误',
        onBehalfOf: (await call<{ subject: { id: string } }>('GET', `/v1/list-entries/${id}`, tokens.tax))
          .body.subject.id,
      });
      expect(filed.status).toBe(201);
      await call('POST', `/v1/statements/${filed.body.id}/answer`, tokens.tax, {
        accepted: true,
        reply: '经核实主体认定错误',
        remedy: 'revoked',
      });
      const docs = await documents(id, me, (d) => d.some((x) => x.kind === 'statement_answer' && x.download));
      const text = await download(docs.find((d) => d.kind === 'statement_answer')!.download!, me);
      expect(text).toContain('本机关采纳当事人的陈述申辩意见');
      expect(text).toContain('本机关撤销拟列入TAX_MAJOR的决定');
    });
  });

  describe('documents issued again when the entry is corrected', () => {
    it('a corrected fact reissues the listing decision; a corrected period the repair notice too', async () => {
      const { id, me } = await inForce('CPR');
      const first = await documents(id, me, (d) => d.filter((x) => x.download).length === 2);
      const v1 = Object.fromEntries(first.map((d) => [d.kind, d]));
      const correct = async (correction: Record<string, unknown>) => {
        const opened = await call<Objection>('POST', `/v1/list-entries/${id}/objections`, me, {
          reason: '事实有误',
        });
        expect(opened.status).toBe(201);
        const resolved = await call<Objection>(
          'POST',
          `/v1/objections/${opened.body.id}/resolve`,
          tokens.court,
          {
            outcome: 'corrected',
            note: '更正认定事实',
            correction,
          },
        );
        expect(resolved.status).toBe(200);
      };

      await correct({ facts: '有履行能力而拒不履行（更正：执行标的额为十万元）' });
      const second = await documents(id, me, (d) => d.length === 3 && d.every((x) => x.status === 'issued'));
      const decision2 = second.find((d) => d.kind === 'listing_decision' && d.version === 2)!;
      expect(decision2).toMatchObject({ supersedes: v1.listing_decision.id, superseded: false });
      expect(second.find((d) => d.id === v1.listing_decision.id)).toMatchObject({
        superseded: true,
        version: 1,
      });
      // the repair notice does not state the facts: still the first, current
      expect(second.find((d) => d.id === v1.repair_notice.id)).toMatchObject({ superseded: false });
      const corrected = await download(decision2.download!, me);
      expect(corrected).toContain('执行标的额为十万元');
      expect(corrected).toContain('本文书系依更正后的信息重新制作（第2版）');
      // what was served first stays what it was, and downloadable
      expect(await download(v1.listing_decision.download!, me)).not.toContain('执行标的额为十万元');

      await correct({
        period: { from: '2025-09-01T00:00:00+08:00', to: '2027-08-01T00:00:00+08:00' },
      });
      const third = await documents(id, me, (d) => d.length === 5 && d.every((x) => x.status === 'issued'));
      const current = third.filter((d) => !d.superseded);
      expect(current.map((d) => [d.kind, d.version]).sort()).toEqual([
        ['listing_decision', 3],
        ['repair_notice', 2],
      ]);
      const notice2 = current.find((d) => d.kind === 'repair_notice')!;
      expect(notice2.supersedes).toBe(v1.repair_notice.id);
      expect(await download(notice2.download!, me)).toContain('公示期至2027年8月1日止');

      // the trail says which version replaced which
      const reissued = await waitFor(() => {
        const e = eventsOf(id, 'credit.document.issued').filter((x) => x.data.supersedes);
        return e.length === 3 ? e : undefined;
      });
      expect(reissued.map((e) => [e.data.kind, e.data.version, e.data.supersedes])).toEqual(
        expect.arrayContaining([
          ['listing_decision', 2, v1.listing_decision.id],
          ['listing_decision', 3, decision2.id],
          ['repair_notice', 2, v1.repair_notice.id],
        ]),
      );
    });
  });

  it('an extension of the period reissues both the listing decision and the repair notice', async () => {
    const code = nextCode('EXT');
    const me = await subjectToken(code);
    const id = await entry(
      registry,
      tokens.court,
      {
        listType: 'COURT_EXTENDABLE',
        subject: { kind: 'legal_person', id: code, name: '某公司' },
        decision: DECISION,
      },
      ['notice', 'publish'],
    );
    const first = await documents(id, me, (d) => d.filter((x) => x.download).length === 2);
    const extended = await call('POST', `/v1/list-entries/${id}/extensions`, tokens.court, {
      days: 365,
      document: { documentNo: '(2026)浙0106执恢1号', date: '2026-12-01' },
      reason: '以暴力方法抗拒执行',
    });
    expect(extended.status).toBe(201);
    const after = await documents(id, me, (d) => d.length === 4 && d.every((x) => x.status === 'issued'));
    expect(
      after
        .filter((d) => !d.superseded)
        .map((d) => [d.kind, d.version, d.supersedes])
        .sort(),
    ).toEqual(first.map((d) => [d.kind, 2, d.id]).sort());
    expect(
      after
        .filter((d) => d.superseded)
        .map((d) => d.id)
        .sort(),
    ).toEqual(first.map((d) => d.id).sort());
  });

  describe('withdrawing a repair application (撤回)', () => {
    it('the subject withdraws one not yet decided; its deadline no longer runs; a new one may follow', async () => {
      const { id, me } = await inForce('WDR');
      // submitted on 2 Nov 2026: its acceptance deadline has long passed, it is overdue
      const submitted = await submitRepair.execute(
        court,
        id,
        repairBody,
        new Date('2026-11-02T09:00:00+08:00'),
      );
      expect(await overdueIds()).toContain(submitted.id);

      const other = await call<Problem>(
        'POST',
        `/v1/repair-applications/${submitted.id}/withdrawal`,
        await subjectToken(nextCode('XTH')),
        {},
      );
      expect({ status: other.status, code: other.body.code }).toEqual({
        status: 403,
        code: 'SUBJECT.NOT_A_PARTY',
      });
      const owner = await call<Problem>(
        'POST',
        `/v1/repair-applications/${submitted.id}/withdrawal`,
        tokens.court,
        {},
      );
      expect({ status: owner.status, code: owner.body.code }).toEqual({
        status: 403,
        code: 'AUTH.ROLE_FORBIDDEN',
      });

      const withdrawn = await call<Repair>('POST', `/v1/repair-applications/${submitted.id}/withdrawal`, me, {
        reason: '已与申请执行人和解，暂不申请',
      });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({
        status: 'withdrawn',
        outcome: 'withdrawn',
        closeReason: '已与申请执行人和解，暂不申请',
        deadline: null,
        overdue: false,
      });
      expect(withdrawn.body.closedAt).not.toBeNull();
      expect(await overdueIds()).not.toContain(submitted.id);

      const again = await call<Problem>('POST', `/v1/repair-applications/${submitted.id}/withdrawal`, me, {});
      expect({ status: again.status, code: again.body.code }).toEqual({
        status: 409,
        code: 'REPAIR.NOT_WITHDRAWABLE',
      });
      const accept = await call<Problem>(
        'POST',
        `/v1/repair-applications/${submitted.id}/accept`,
        tokens.court,
      );
      expect({ status: accept.status, code: accept.body.code }).toEqual({
        status: 409,
        code: 'REPAIR.CLOSED',
      });
      // the applicant reads the outcome
      const mine = await call<{ items: Repair[] }>('GET', '/v1/me/applications', me);
      expect(mine.body.items.find((a) => a.id === submitted.id)).toMatchObject({ status: 'withdrawn' });
      // no longer pending: a new application may be made
      const renewed = await call<Repair>(
        'POST',
        `/v1/list-entries/${id}/repair-applications`,
        me,
        repairBody,
      );
      expect(renewed.status).toBe(201);

      const trail = await waitFor(() => {
        const e = eventsOf(id, 'credit.repair.').filter((x) => x.data.applicationId === submitted.id);
        return e.length === 2 ? e : undefined;
      });
      expect(trail.map((e) => e.type)).toEqual(['credit.repair.submitted.v1', 'credit.repair.withdrawn.v1']);
      expect(trail[1].data).toMatchObject({ withdrawnBy: { role: 'subject' } });
    });

    it('the counter withdraws for the subject, even while material is asked for; a decided one cannot be', async () => {
      const { id, code } = await inForce('WDC');
      const submitted = await submitRepair.execute(court, id, repairBody);
      await requestRepairMaterial.execute(court, submitted.id, { missing: ['缴款凭证'] });
      const noOne = await call<Problem>(
        'POST',
        `/v1/repair-applications/${submitted.id}/withdrawal`,
        counter,
        {},
      );
      expect({ status: noOne.status, code: noOne.body.code }).toEqual({
        status: 422,
        code: 'SUBJECT.ON_BEHALF_OF_REQUIRED',
      });
      const withdrawn = await call<Repair>(
        'POST',
        `/v1/repair-applications/${submitted.id}/withdrawal`,
        counter,
        {
          onBehalfOf: code,
        },
      );
      expect(withdrawn.body).toMatchObject({ status: 'withdrawn', closeReason: null });
      const event = await waitFor(() =>
        eventsOf(id, 'credit.repair.withdrawn').find((e) => e.data.applicationId === submitted.id),
      );
      expect(event.data).toMatchObject({ withdrawnBy: { role: 'credit_office', dept: 'CREDIT_OFFICE' } });

      const decided = await submitRepair.execute(court, id, repairBody);
      await acceptRepair.execute(court, decided.id);
      await decideRepair.execute(court, decided.id, { outcome: 'rejected', reason: '尚欠执行款' });
      const late = await call<Problem>('POST', `/v1/repair-applications/${decided.id}/withdrawal`, counter, {
        onBehalfOf: code,
      });
      expect({ status: late.status, code: late.body.code }).toEqual({
        status: 409,
        code: 'REPAIR.NOT_WITHDRAWABLE',
      });
    });
  });

  describe('what is left open when the entry ends', () => {
    it('the owner ends the entry: the open objection and repair application are closed, the subject told', async () => {
      const { id, me } = await inForce('END');
      const repair = await submitRepair.execute(court, id, repairBody, new Date('2026-11-02T09:00:00+08:00'));
      const objection = await call<Objection>('POST', `/v1/list-entries/${id}/objections`, me, {
        reason: '已清偿',
      });
      expect(objection.status).toBe(201);
      expect(await overdueIds()).toContain(repair.id);

      const ended = await call('POST', `/v1/list-entries/${id}/end`, tokens.court, {
        reason: 'revoked',
        note: '原判决被撤销',
      });
      expect(ended.status).toBe(200);

      const application = await call<Repair>('GET', `/v1/repair-applications/${repair.id}`, me);
      expect(application.body).toMatchObject({
        status: 'closed_entry_ended',
        outcome: 'closed_entry_ended',
        deadline: null,
        overdue: false,
      });
      expect(application.body.closeReason).toContain('revoked');
      expect(await overdueIds()).not.toContain(repair.id);
      const mineObjections = await call<{ items: Objection[] }>('GET', '/v1/me/objections', me);
      expect(mineObjections.body.items.find((o) => o.id === objection.body.id)).toMatchObject({
        status: 'closed_entry_ended',
      });
      const record = await call<{
        entries: {
          id: string;
          status: string;
          objections: { id: string; status: string }[];
          repairApplications: { id: string; status: string; closedAt: string | null }[];
        }[];
      }>('GET', '/v1/me/record', me);
      const mine = record.body.entries.find((e) => e.id === id)!;
      expect(mine.status).toBe('ended');
      expect(mine.objections).toEqual([expect.objectContaining({ status: 'closed_entry_ended' })]);
      expect(mine.repairApplications).toEqual([
        expect.objectContaining({ id: repair.id, status: 'closed_entry_ended' }),
      ]);

      // nothing is left to do on them
      const resolve = await call<Problem>(
        'POST',
        `/v1/objections/${objection.body.id}/resolve`,
        tokens.court,
        {
          outcome: 'upheld',
          note: 'x',
        },
      );
      expect({ status: resolve.status, code: resolve.body.code }).toEqual({
        status: 409,
        code: 'OBJECTION.CLOSED',
      });
      const accept = await call<Problem>('POST', `/v1/repair-applications/${repair.id}/accept`, tokens.court);
      expect({ status: accept.status, code: accept.body.code }).toEqual({
        status: 409,
        code: 'REPAIR.CLOSED',
      });

      const closed = await waitFor(() => {
        const e = eventsOf(id, 'credit.due-process.closed');
        return e.length === 2 ? e : undefined;
      });
      expect(
        closed.map((e) => [e.data.kind, e.data.applicationId, e.data.outcome, e.data.endReason]).sort(),
      ).toEqual([
        ['objection', objection.body.id, 'closed_entry_ended', 'revoked'],
        ['repair', repair.id, 'closed_entry_ended', 'revoked'],
      ]);
    });

    it('an expiry closes an open repair application too', async () => {
      const { id, me } = await inForce('EXP');
      const repair = await submitRepair.execute(court, id, repairBody);
      await registry.app.get(ExpireListEntriesJob).expireDue(new Date('2027-09-02T00:00:00+08:00'));
      const application = await call<Repair>('GET', `/v1/repair-applications/${repair.id}`, me);
      expect(application.body).toMatchObject({ status: 'closed_entry_ended', overdue: false });
      const closed = await waitFor(() => eventsOf(id, 'credit.due-process.closed')[0]);
      expect(closed.data).toMatchObject({ kind: 'repair', endReason: 'expired' });
    });

    it('a statement accepted ends the noticed entry: the other one still unanswered is closed with it', async () => {
      const { id, me } = await noticed('ANC');
      const first = await call<Statement>('POST', `/v1/list-entries/${id}/statements`, me, { content: '一' });
      const second = await call<Statement>('POST', `/v1/list-entries/${id}/statements`, me, {
        content: '二',
      });
      await call('POST', `/v1/statements/${first.body.id}/answer`, tokens.tax, {
        accepted: true,
        reply: '采纳',
        remedy: 'revoked',
      });
      const closed = await call<Statement>('GET', `/v1/statements/${second.body.id}`, me);
      expect(closed.body.status).toBe('closed_entry_ended');
      expect(closed.body.closedAt).not.toBeNull();
      const late = await call<Problem>('POST', `/v1/statements/${second.body.id}/answer`, tokens.tax, {
        accepted: false,
        reply: 'x',
      });
      expect({ status: late.status, code: late.body.code }).toEqual({
        status: 409,
        code: 'STATEMENT.CLOSED',
      });
      const accepted = await call<Statement>('GET', `/v1/statements/${first.body.id}`, me);
      expect(accepted.body.status).toBe('accepted');
    });
  });
});
