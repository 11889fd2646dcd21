import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { KafkaBus } from '@credit/messaging';
import { RescreenEntriesJob } from '../../apps/trigger/src/rescreen/rescreen-entries.job';
import { createKafkaBus, waitFor } from '../support/infra';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { api, startPlatform, TestPlatform } from '../support/services';
import { DECISION, idNumber, uscc } from '../registry/registry-fixtures';
import { allowWebhookHost, subscribeWebhook } from '../support/webhook-hosts';

type Assignment = {
  id: string;
  dept: string;
  measureCode: string;
  measureVersion: number;
  status: string;
  suspendedFrom?: string;
  generation: number;
  subscribed: boolean;
  channel: string;
  target: { id: string; kind: string; role?: string };
  period: { from: string; to: string } | null;
};
type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * Trigger and feedback (issue 4) over real Kafka and PostgreSQL, with registry and enforcement running:
 * the fan-out, related persons, lifts, pauses, corrections, catalog changes and bad feedback.
 */
describe('trigger: the fan-out that no entry escapes', () => {
  let platform: TestPlatform;
  let bus: KafkaBus;
  let probe: KafkaProbe;
  let dlq: TopicReader;
  let entries: TopicReader;
  const t: Record<string, string> = {};
  let n = 0;

  const measure = (code: string, dept: string, extra: Record<string, unknown> = {}) => ({
    code,
    text: `${code} 措施`,
    kind: 'punishment',
    dept,
    legalBasis: '《中华人民共和国政府采购法》第二十二条；发改财金〔2016〕141号',
    subjectKinds: ['legal_person', 'individual'],
    actions: ['government_procurement_bid'],
    mode: 'block',
    feedbackWorkingDays: 5,
    ...extra,
  });

  beforeAll(async () => {
    platform = await startPlatform();
    bus = createKafkaBus(platform.topicPrefix);
    probe = new KafkaProbe(platform.topicPrefix);
    dlq = await probe.read('credit.feedback.dlq');
    entries = await probe.read('credit.list-entries');
    for (const [name, dept, roles] of [
      ['admin', 'CREDIT_OFFICE', ['admin']],
      ['supervisor', 'CREDIT_OFFICE', ['supervisor']],
      ['court', 'COURT', ['initiator']],
      ['tax', 'TAX', ['initiator']],
      ['finance', 'FINANCE', ['implementer']],
      ['ndrc', 'NDRC', ['implementer']],
      ['police', 'POLICE', ['implementer']],
      ['housing', 'HOUSING', ['implementer']],
    ] as const) {
      t[name] = await platform.token(dept, [...roles]);
    }
    for (const code of ['COURT', 'TAX', 'FINANCE', 'NDRC', 'POLICE', 'HOUSING']) {
      await api('POST', `${platform.url.registry}/v1/departments`, {
        token: t.admin,
        body: { code, name: code, region: '330100' },
      });
    }
    const listType = (code: string, ownerDept: string, colour: string, suspendOnObjection: boolean) => ({
      code,
      name: code,
      colour,
      ownerDept,
      legalBasis: 'basis',
      infoClass: 'A',
      severity: 'serious',
      defaultPeriodDays: 730,
      subjectKinds: ['legal_person', 'individual'],
      noticeWorkingDays: 0,
      // published at once: a serious black list needs the reason it gives no statement period
      minStatementWorkingDays: 0,
      minStatementReason: 'test: published at once',
      suspendOnObjection,
    });
    for (const body of [
      listType('COURT_DEFAULTER', 'COURT', 'black', true),
      listType('TAX_A_GRADE', 'TAX', 'red', false),
    ]) {
      expect(
        (await api('POST', `${platform.url.registry}/v1/list-types`, { token: t.admin, body })).status,
      ).toBe(201);
    }
    const memoranda = [
      {
        code: 'MOU-DEFAULTERS',
        title: '关于对失信被执行人实施联合惩戒的合作备忘录',
        documentNo: '发改财金〔2016〕141号',
        listTypes: ['COURT_DEFAULTER'],
        signatories: ['COURT', 'FINANCE', 'NDRC', 'POLICE'],
        measures: [
          measure('DEF-PROCUREMENT', 'FINANCE'),
          measure('DEF-BOND', 'NDRC', { actions: ['enterprise_bond_issue'], subjectKinds: ['legal_person'] }),
          measure('DEF-EXIT', 'POLICE', {
            actions: ['exit_entry'],
            subjectKinds: ['legal_person'],
            relatedRoles: ['legal_representative'],
          }),
          measure('DEF-PERSON-HIGH-SPEND', 'POLICE', {
            actions: ['high_consumption'],
            subjectKinds: ['individual'],
          }),
        ],
      },
      {
        code: 'MOU-TAX-A',
        title: '关于对纳税信用A级纳税人实施联合激励措施的合作备忘录',
        documentNo: '发改财金〔2016〕1467号',
        listTypes: ['TAX_A_GRADE'],
        measures: [
          measure('TAXA-GREEN-CHANNEL', 'NDRC', {
            kind: 'incentive',
            mode: 'priority',
            actions: ['enterprise_bond_issue'],
          }),
        ],
      },
    ];
    const imported = await api('POST', `${platform.url.trigger}/v1/memoranda/import`, {
      token: t.admin,
      body: { memoranda },
    });
    expect(imported.status).toBe(201);
  });

  afterAll(async () => {
    await probe?.close();
    await bus?.close();
    await platform?.close();
  });

  const company = () => ({
    kind: 'legal_person',
    id: uscc(`FAN${String((n += 1)).padStart(5, '0')}`),
    name: `公司${n}`,
  });
  const legalRep = () => ({
    role: 'legal_representative',
    kind: 'individual',
    id: idNumber('19800101', String(100 + n)),
    name: '张三',
  });

  async function publish(listType: string, body: Record<string, unknown>, token = t.court) {
    const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token,
      body: { listType, decision: DECISION, ...body },
    });
    expect(created.status).toBe(201);
    for (const step of ['notice', 'publish']) {
      expect(
        (await api('POST', `${platform.url.registry}/v1/list-entries/${created.body.id}/${step}`, { token }))
          .status,
      ).toBe(200);
    }
    return created.body.id;
  }

  const assignmentsOf = async (entryId: string, query = '') =>
    (
      await api<Page<Assignment>>(
        'GET',
        `${platform.url.trigger}/v1/assignments?entryId=${entryId}${query}`,
        { token: t.supervisor },
      )
    ).body.items;

  const waitAssignments = (entryId: string, predicate: (items: Assignment[]) => boolean, message: string) =>
    waitFor(
      async () => {
        const items = await assignmentsOf(entryId);
        return predicate(items) ? items : undefined;
      },
      { message },
    );

  it('issues exactly the assignments the memoranda require, related persons instead of the subject', async () => {
    const subject = company();
    const person = legalRep();
    const entryId = await publish('COURT_DEFAULTER', { subject, relatedPersons: [person] });
    const items = await waitAssignments(entryId, (a) => a.length === 3, 'three assignments');
    expect(items.map((a) => `${a.dept}:${a.measureCode}:${a.target.id}`).sort()).toEqual(
      [
        `FINANCE:DEF-PROCUREMENT:${subject.id}`,
        `NDRC:DEF-BOND:${subject.id}`,
        `POLICE:DEF-EXIT:${person.id}`,
      ].sort(),
    );
    expect(items.find((a) => a.measureCode === 'DEF-EXIT')!.target).toEqual({
      id: person.id,
      kind: 'individual',
      role: 'legal_representative',
    });
    expect(items.every((a) => a.status === 'issued' && a.generation === 0 && a.measureVersion === 1)).toBe(
      true,
    );

    // an individual on the same list: only the measures for individuals
    const individual = { kind: 'individual', id: idNumber('19750505', '321'), name: '李四' };
    const personal = await publish('COURT_DEFAULTER', { subject: individual });
    const personalItems = await waitAssignments(
      personal,
      (a) => a.length === 2,
      'two assignments for an individual',
    );
    expect(personalItems.map((a) => a.measureCode).sort()).toEqual([
      'DEF-PERSON-HIGH-SPEND',
      'DEF-PROCUREMENT',
    ]);

    // a red list's incentive measures follow the same path
    const red = await publish('TAX_A_GRADE', { subject: company() }, t.tax);
    const redItems = await waitAssignments(red, (a) => a.length === 1, 'one incentive assignment');
    expect(redItems[0]).toMatchObject({ dept: 'NDRC', measureCode: 'TAXA-GREEN-CHANNEL' });
  });

  it('issues nothing twice when the published event is redelivered or replayed under a new id', async () => {
    const entryId = await publish('COURT_DEFAULTER', { subject: company(), relatedPersons: [legalRep()] });
    await waitAssignments(entryId, (a) => a.length === 3, 'three assignments');
    const record = await waitFor(() =>
      entries.records.find(
        (r) =>
          r.value &&
          JSON.parse(r.value).subject === entryId &&
          JSON.parse(r.value).type.endsWith('published.v1'),
      ),
    );
    const event = JSON.parse(record.value!);
    await bus.publish([
      { topic: 'credit.list-entries', key: record.key!, value: record.value! },
      {
        topic: 'credit.list-entries',
        key: record.key!,
        value: JSON.stringify({ ...event, id: randomUUID() }),
      },
    ]);
    // a later event of the same subject proves the two replays were consumed before it
    const objection = await api<{ id: string }>(
      'POST',
      `${platform.url.registry}/v1/list-entries/${entryId}/objections`,
      {
        token: t.court,
        body: { reason: '核查' },
      },
    );
    await waitAssignments(
      entryId,
      (a) => a.every((x) => x.status === 'suspended'),
      'suspended after the replays',
    );
    expect(await assignmentsOf(entryId)).toHaveLength(3);
    await api('POST', `${platform.url.registry}/v1/objections/${objection.body.id}/resolve`, {
      token: t.court,
      body: { outcome: 'upheld', note: 'ok' },
    });
  });

  it('pauses assignments while an objection is open and resumes each to where it was', async () => {
    const entryId = await publish('COURT_DEFAULTER', { subject: company(), relatedPersons: [legalRep()] });
    const items = await waitAssignments(entryId, (a) => a.length === 3, 'three assignments');
    const finance = items.find((a) => a.dept === 'FINANCE')!;
    await waitFor(
      async () =>
        (
          await api('POST', `${platform.url.enforcement}/v1/assignments/${finance.id}/ack`, {
            token: t.finance,
          })
        ).status === 200,
    );
    await waitAssignments(
      entryId,
      (a) => a.find((x) => x.dept === 'FINANCE')!.status === 'acknowledged',
      'acknowledged',
    );

    const objection = await api<{ id: string }>(
      'POST',
      `${platform.url.registry}/v1/list-entries/${entryId}/objections`,
      {
        token: t.court,
        body: { reason: '已清偿' },
      },
    );
    const paused = await waitAssignments(
      entryId,
      (a) => a.every((x) => x.status === 'suspended'),
      'all suspended',
    );
    expect(paused.find((a) => a.dept === 'FINANCE')!.suspendedFrom).toBe('acknowledged');
    // the department sees it paused too, and may still acknowledge meanwhile
    const ndrc = items.find((a) => a.dept === 'NDRC')!;
    await waitFor(
      async () => {
        const inbox = await api<Page<{ id: string; status: string }>>(
          'GET',
          `${platform.url.enforcement}/v1/inbox?status=suspended`,
          {
            token: t.ndrc,
          },
        );
        return inbox.body.items.some((i) => i.id === ndrc.id);
      },
      { message: 'NDRC inbox shows the suspension' },
    );
    expect(
      (await api('POST', `${platform.url.enforcement}/v1/assignments/${ndrc.id}/ack`, { token: t.ndrc }))
        .status,
    ).toBe(200);

    await api('POST', `${platform.url.registry}/v1/objections/${objection.body.id}/resolve`, {
      token: t.court,
      body: { outcome: 'upheld', note: '异议不成立' },
    });
    const resumed = await waitAssignments(
      entryId,
      (a) =>
        a.every((x) => x.status !== 'suspended') &&
        a.find((x) => x.dept === 'NDRC')!.status === 'acknowledged',
      'resumed',
    );
    expect(Object.fromEntries(resumed.map((a) => [a.dept, a.status]))).toEqual({
      FINANCE: 'acknowledged',
      NDRC: 'acknowledged',
      POLICE: 'issued',
    });
  });

  it('re-issues with the new period when a correction changes it', async () => {
    const entryId = await publish('COURT_DEFAULTER', { subject: company() });
    const first = await waitAssignments(entryId, (a) => a.length === 2, 'two assignments');
    const objection = await api<{ id: string }>(
      'POST',
      `${platform.url.registry}/v1/list-entries/${entryId}/objections`,
      {
        token: t.court,
        body: { reason: '期限有误' },
      },
    );
    const from = first[0].period!.from;
    const to = new Date(Date.parse(from) + 400 * 86_400_000).toISOString();
    const resolved = await api(
      'POST',
      `${platform.url.registry}/v1/objections/${objection.body.id}/resolve`,
      {
        token: t.court,
        body: { outcome: 'corrected', note: '更正期限', correction: { period: { from, to } } },
      },
    );
    expect(resolved.status).toBe(200);
    const all = await waitAssignments(
      entryId,
      (a) => a.length === 4 && a.filter((x) => x.generation === 1).every((x) => x.status === 'issued'),
      'a second generation, resumed',
    );
    expect(all.filter((a) => a.generation === 0).map((a) => a.status)).toEqual(['lifted', 'lifted']);
    expect(all.filter((a) => a.generation === 1).every((a) => a.period!.to === to)).toBe(true);
  });

  it('lifts every binding assignment when the entry ends, and the departments confirm', async () => {
    const entryId = await publish('COURT_DEFAULTER', { subject: company(), relatedPersons: [legalRep()] });
    const items = await waitAssignments(entryId, (a) => a.length === 3, 'three assignments');
    await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/end`, {
      token: t.court,
      body: { reason: 'repaired' },
    });
    await waitAssignments(entryId, (a) => a.every((x) => x.status === 'lifted'), 'all lifted');
    const police = items.find((a) => a.dept === 'POLICE')!;
    await waitFor(
      async () => {
        const res = await api(
          'POST',
          `${platform.url.enforcement}/v1/assignments/${police.id}/lift-confirmation`,
          { token: t.police },
        );
        return res.status === 200;
      },
      { message: 'police confirms the lift' },
    );
    await waitAssignments(
      entryId,
      (a) => a.find((x) => x.dept === 'POLICE')!.status === 'lift_confirmed',
      'lift confirmed',
    );
  });

  it('back-fills entries in force when a measure is added, and lifts them when it is retired', async () => {
    const inForce = await Promise.all(
      [1, 2, 3].map(() => publish('COURT_DEFAULTER', { subject: company() })),
    );
    for (const id of inForce) await waitAssignments(id, (a) => a.length === 2, 'two assignments');

    const added = await api<{ rescreenJob: { id: string; total: number } }>(
      'POST',
      `${platform.url.trigger}/v1/memoranda/MOU-DEFAULTERS/measures`,
      {
        token: t.admin,
        body: measure('DEF-HOUSING-SUBSIDY', 'HOUSING', { actions: ['subsidy_application'] }),
      },
    );
    expect(added.status).toBe(201);
    expect(added.body.rescreenJob.total).toBeGreaterThanOrEqual(3);
    const job = await waitFor(
      async () => {
        const res = await api<{ status: string; issued: number; processed: number; progress: number }>(
          'GET',
          `${platform.url.trigger}/v1/rescreen-jobs/${added.body.rescreenJob.id}`,
          { token: t.supervisor },
        );
        return res.body.status === 'completed' ? res.body : undefined;
      },
      { message: 'the back-fill job completes' },
    );
    expect(job.progress).toBe(1);
    for (const id of inForce) {
      expect((await assignmentsOf(id)).map((a) => a.measureCode)).toContain('DEF-HOUSING-SUBSIDY');
    }
    expect(job.issued).toBeGreaterThanOrEqual(3);

    const retired = await api<{ rescreenJob: { id: string } }>(
      'POST',
      `${platform.url.trigger}/v1/measures/DEF-HOUSING-SUBSIDY/retire`,
      {
        token: t.admin,
        body: { reason: '备忘录修订' },
      },
    );
    expect(retired.status).toBe(200);
    await waitFor(
      async () => {
        const res = await api<{ status: string }>(
          'GET',
          `${platform.url.trigger}/v1/rescreen-jobs/${retired.body.rescreenJob.id}`,
          {
            token: t.supervisor,
          },
        );
        return res.body.status === 'completed';
      },
      { message: 'the lift job completes' },
    );
    for (const id of inForce) {
      const housing = (await assignmentsOf(id)).find((a) => a.measureCode === 'DEF-HOUSING-SUBSIDY')!;
      expect(housing.status).toBe('lifted');
    }
    // a retired measure reaches no new entry
    const later = await publish('COURT_DEFAULTER', { subject: company() });
    expect(
      (await waitAssignments(later, (a) => a.length === 2, 'two assignments')).map((a) => a.measureCode),
    ).not.toContain('DEF-HOUSING-SUBSIDY');
  });

  it('resumes an interrupted re-screening job after its last committed batch, issuing nothing twice', async () => {
    const inForce = await Promise.all(
      [1, 2, 3, 4, 5].map(() => publish('COURT_DEFAULTER', { subject: company() })),
    );
    for (const id of inForce) await waitAssignments(id, (a) => a.length === 2, 'two assignments');
    const pg = new Client({ connectionString: platform.databaseUrl });
    await pg.connect();
    try {
      // a new measure whose job "crashed" after handling the entries up to the third (cursor committed)
      const [{ id: measureId }] = (
        await pg.query(
          `INSERT INTO trigger.measures (id, memorandum_code, code, version, text, kind, dept, legal_basis, list_types,
             subject_kinds, related_roles, actions, mode, feedback_working_days, current)
           VALUES (gen_random_uuid(), 'MOU-DEFAULTERS', 'DEF-RESUME', 1, 't', 'punishment', 'HOUSING', 'b',
             '{COURT_DEFAULTER}', '{legal_person}', '{}', '{subsidy_application}', 'warn', 5, true) RETURNING id`,
        )
      ).rows;
      const sorted = [...inForce].sort();
      const cursor = sorted[2];
      await pg.query(
        `INSERT INTO trigger.rescreen_jobs (id, kind, measure_ids, reason, status, cursor, total, processed, created_by)
         VALUES (gen_random_uuid(), 'issue', ARRAY[$1::uuid], 'test', 'running', $2, 5, 3, 'test')`,
        [measureId, cursor],
      );
      await platform.app.trigger.get(RescreenEntriesJob).drain();
      for (const id of sorted) {
        const count = (await assignmentsOf(id)).filter((a) => a.measureCode === 'DEF-RESUME').length;
        expect(count).toBe(id > cursor ? 1 : 0);
      }
    } finally {
      await pg.query(`UPDATE trigger.measures SET current = false WHERE code = 'DEF-RESUME'`);
      await pg.end();
    }
  });

  it('marks assignments of departments without a subscription, and delivers by the channel chosen', async () => {
    const before = await publish('COURT_DEFAULTER', { subject: company() });
    const unsubscribed = await waitAssignments(before, (a) => a.length === 2, 'two assignments');
    expect(unsubscribed.every((a) => !a.subscribed && a.channel === 'pull')).toBe(true);

    const wrongDept = await api('PUT', `${platform.url.trigger}/v1/subscriptions/DEF-PROCUREMENT`, {
      token: t.ndrc,
      body: { channel: 'pull' },
    });
    expect(wrongDept.status).toBe(403);
    const noUrl = await api('PUT', `${platform.url.trigger}/v1/subscriptions/DEF-PROCUREMENT`, {
      token: t.finance,
      body: { channel: 'webhook' },
    });
    expect(noUrl.status).toBe(400);
    // a loopback host: refused until an admin allow-lists it (decision 0022)
    await allowWebhookHost(platform, t.admin, '127.0.0.1');
    await subscribeWebhook(platform, t.finance, 'DEF-PROCUREMENT', 'http://127.0.0.1:9/hooks');

    const after = await publish('COURT_DEFAULTER', { subject: company() });
    const items = await waitAssignments(after, (a) => a.length === 2, 'two assignments');
    expect(items.find((a) => a.dept === 'FINANCE')).toMatchObject({ subscribed: true, channel: 'webhook' });
    expect(items.find((a) => a.dept === 'NDRC')).toMatchObject({ subscribed: false, channel: 'pull' });
    const followUp = await assignmentsOf(after, '&subscribed=false');
    expect(followUp.map((a) => a.dept)).toEqual(['NDRC']);
  });

  it('pages through assignments with filters and a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Assignment> = (
        await api<Page<Assignment>>(
          'GET',
          `${platform.url.trigger}/v1/assignments?dept=FINANCE&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          { token: t.supervisor },
        )
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((a) => a.id));
      expect(page.items.every((a) => a.dept === 'FINANCE')).toBe(true);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(5);
    const bad = await api('GET', `${platform.url.trigger}/v1/assignments?cursor=nonsense`, {
      token: t.supervisor,
    });
    expect(bad.status).toBe(400);
    const initiatorWithoutEntry = await api('GET', `${platform.url.trigger}/v1/assignments`, {
      token: t.court,
    });
    expect(initiatorWithoutEntry.status).toBe(422);
  });

  it('dead-letters feedback for an unknown assignment, from the wrong department, or out of order', async () => {
    const entryId = await publish('COURT_DEFAULTER', { subject: company() });
    const items = await waitAssignments(entryId, (a) => a.length === 2, 'two assignments');
    const finance = items.find((a) => a.dept === 'FINANCE')!;
    const feedback = (type: string, data: Record<string, unknown>, actordept: string) => ({
      topic: 'credit.feedback',
      key: 'k',
      value: JSON.stringify({
        specversion: '1.0',
        id: randomUUID(),
        source: '/test',
        type,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        actordept,
        data: { entryId, actor: 'x', at: new Date().toISOString(), ...data },
      }),
    });
    await bus.publish([
      feedback('credit.feedback.acknowledged.v1', { assignmentId: randomUUID(), dept: 'FINANCE' }, 'FINANCE'),
      feedback('credit.feedback.acknowledged.v1', { assignmentId: finance.id, dept: 'NDRC' }, 'NDRC'),
      feedback(
        'credit.feedback.enforced.v1',
        { assignmentId: finance.id, dept: 'FINANCE', detail: '已拒绝' },
        'FINANCE',
      ),
    ]);
    const codes = await waitFor(
      () => {
        const mine = dlq.records
          .filter((r) => r.headers['dlq-consumer'] === 'trigger.feedback')
          .map((r) => r.headers['dlq-code']);
        return mine.length >= 3 ? mine : undefined;
      },
      { message: 'three dead letters from trigger' },
    );
    expect(codes.sort()).toEqual([
      'FEEDBACK.OUT_OF_ORDER',
      'FEEDBACK.UNKNOWN_ASSIGNMENT',
      'FEEDBACK.WRONG_DEPARTMENT',
    ]);
    expect((await assignmentsOf(entryId)).find((a) => a.id === finance.id)!.status).toBe('issued');
  });
});
