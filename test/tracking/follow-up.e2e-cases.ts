import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { chinaIsoDate, loadBundledCalendar } from '@credit/calendar';
import { AssignmentIssuedV1, EventTypes, FeedbackAcknowledgedV1, Topics } from '@credit/contracts';
import { createCloudEvent } from '@credit/messaging';
import { createRootLogger, loadConfig, ServiceConfig } from '@credit/platform';
import { createServiceApp } from '@credit/runtime';
import { OverdueFollowUpJob } from '../../apps/tracking/src/follow-up/overdue-follow-up.job';
import { TrackingModule } from '../../apps/tracking/src/tracking.module';
import { TrailSealJob } from '../../apps/tracking/src/trail/trail-seal.job';
import { routesOf } from '../support/catalog-fixtures';
import { blockMeasure, seedCourtCatalog } from '../support/catalog-seed';
import { createKafkaBus, createTestDatabase, KAFKA_BROKERS, waitFor } from '../support/infra';
import { api, startPlatform, TEST_JWT_SECRET, TestPlatform } from '../support/services';

/**
 * Issue 6 (2, 3): deadlines in working days, the overdue job (marking, escalation, clearing), the
 * supervisors' overdue list, statistics kept incrementally and recounted from the trail, the
 * application rate, and a second tracking that rebuilds everything by replaying every topic.
 */
describe('tracking: deadlines, overdue follow-up and statistics', () => {
  const calendar = loadBundledCalendar();
  const S1 = { kind: 'legal_person' as const, id: '91330106MA2H7QK4XQ', name: '杭州某某科技有限公司' };
  const S2 = { kind: 'legal_person' as const, id: '91350100M000100Y43', name: '福州某某贸易有限公司' };
  const MINUTE = 60_000;
  let platform: TestPlatform;
  let db: Client;
  let job: OverdueFollowUpJob;
  let tokens: Record<'admin' | 'court' | 'supervisor' | 'finance' | 'ndrc' | 'samr', string>;
  let deptTokens: Record<string, string>;
  let entry1: string;
  let entry2: string;
  let holidayAssignment: string;
  let holidayEntry: string;
  let overdueEvents = 0;

  type Row = {
    id: string;
    dept: string;
    issuedAt: Date;
    ackDeadline: Date;
    ackEscalationAt: Date;
    feedbackDeadline: Date;
    acknowledgedAt: Date | null;
    liftedAt: Date | null;
    overdue: boolean;
    clearedAt: Date | null;
  };
  const rowsOf = async (entryId: string): Promise<Row[]> =>
    (
      await db.query(
        `SELECT id, dept, issued_at AS "issuedAt", ack_deadline AS "ackDeadline",
          ack_escalation_at AS "ackEscalationAt", feedback_deadline AS "feedbackDeadline",
          acknowledged_at AS "acknowledgedAt", lifted_at AS "liftedAt", overdue, cleared_at AS "clearedAt"
         FROM tracking.follow_up_assignments WHERE entry_id = $1 AND issued ORDER BY dept`,
        [entryId],
      )
    ).rows;
  const rowOf = async (entryId: string, dept: string) =>
    (await rowsOf(entryId)).find((r) => r.dept === dept)!;
  const markOverdue = async (now: Date) => {
    const result = await job.markOverdue(now);
    overdueEvents += result.events;
    // the trail's consumer applies each overdue event to the same follow-up row, and a pass skips a row
    // locked at that moment (SKIP LOCKED, replicas): the next pass of a test must not meet that lock
    if (result.events > 0) await overdueInTrail();
    return result.marks.map((m) => `${m.dept}:${m.kind}:${m.level}`).sort();
  };
  /** the overdue events tracking announced came back through Kafka into the trail */
  const overdueInTrail = () =>
    waitFor(
      async () => {
        const { rows } = await db.query(
          `SELECT count(*)::int AS n FROM tracking.trail_records WHERE type = $1`,
          [EventTypes.trackingOverdue],
        );
        return rows[0].n === overdueEvents;
      },
      { message: `${overdueEvents} overdue events in the trail` },
    );
  const feedback = (dept: string, id: string, path: string, body?: unknown) =>
    api('POST', `${platform.url.enforcement}/v1/assignments/${id}/${path}`, {
      token: deptTokens[dept],
      body,
    });
  const waitRow = (entryId: string, dept: string, test: (r: Row) => boolean, message: string) =>
    waitFor(
      async () => {
        const r = await rowOf(entryId, dept);
        return r && test(r) ? r : undefined;
      },
      { message },
    );

  async function publishEntry(subject: typeof S1): Promise<string> {
    const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: tokens.court,
      body: {
        listType: 'COURT_DEFAULTER',
        subject,
        decision: {
          documentNo: `(2026)浙0106执${subject.id.slice(-4)}号`,
          date: '2026-11-01',
          facts: '拒不履行',
        },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    for (const step of ['notice', 'publish']) {
      const res = await api('POST', `${platform.url.registry}/v1/list-entries/${id}/${step}`, {
        token: tokens.court,
      });
      expect(res.status).toBe(200);
    }
    await waitFor(async () => (await rowsOf(id)).length === 3, { message: 'three assignments tracked' });
    // tracking and enforcement read the assignments each from Kafka: a department acts on one only once
    // its inbox holds it, and tracking may have it first
    await waitFor(
      async () =>
        (await db.query(`SELECT 1 FROM enforcement.assignments WHERE entry_id = $1`, [id])).rowCount === 3,
      { message: "three assignments in enforcement's inbox" },
    );
    return id;
  }

  beforeAll(async () => {
    platform = await startPlatform();
    db = new Client({ connectionString: platform.databaseUrl });
    await db.connect();
    job = platform.app.tracking.get(OverdueFollowUpJob);
    tokens = {
      admin: await platform.token('CREDIT_OFFICE', ['admin']),
      court: await platform.token('COURT', ['initiator']),
      supervisor: await platform.token('CREDIT_OFFICE', ['supervisor']),
      finance: await platform.token('FINANCE', ['implementer']),
      ndrc: await platform.token('NDRC', ['implementer']),
      samr: await platform.token('SAMR', ['system']),
    };
    deptTokens = { FINANCE: tokens.finance, NDRC: tokens.ndrc, SAMR: tokens.samr };
    await seedCourtCatalog(routesOf(platform), tokens.admin, {
      departments: [
        ['COURT', '杭州市中级人民法院', '330100'],
        ['FINANCE', '杭州市财政局', '330100'],
        ['NDRC', '杭州市发展和改革委员会', '330100'],
        ['SAMR', '杭州市市场监督管理局', '330100'],
        ['TAX', '国家税务总局宁波市税务局', '330200'],
      ],
      measures: [
        blockMeasure('PROCUREMENT_BAN', 'FINANCE', 'government_procurement_bid'),
        blockMeasure('BOND_ISSUE_BAN', 'NDRC', 'enterprise_bond_issue'),
        blockMeasure('MARKET_INSPECTION', 'SAMR', 'market_supervision_inspection'),
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it('counts deadlines in working days across the National Day week and escalates after a further period', async () => {
    // An assignment issued on 2026-09-29 10:00 (Beijing), before the National Day week: the services run
    // at today's time, so this one event stands for trigger's, written to the real topic as trigger would.
    holidayAssignment = randomUUID();
    holidayEntry = randomUUID();
    const issuedAt = new Date('2026-09-29T02:00:00Z');
    const issued: AssignmentIssuedV1 = {
      assignmentId: holidayAssignment,
      entryId: holidayEntry,
      dept: 'TAX',
      measure: {
        code: 'TAX_CREDIT_DOWNGRADE',
        version: 1,
        memorandumCode: 'MOU-2016-TAX',
        text: '纳税信用直接判为D级',
        kind: 'punishment',
        mode: 'reference',
        actions: ['tax_credit_rating'],
        legalBasis: '发改财金〔2016〕1580号',
        feedbackWorkingDays: 10,
      },
      listType: { code: 'TAX_MAJOR_OFFENDER', colour: 'black' },
      subject: S2,
      target: { id: S2.id, kind: 'legal_person' },
      period: { from: issuedAt.toISOString(), to: '2028-09-29T02:00:00.000Z' },
      issuedAt: issuedAt.toISOString(),
      feedbackDeadline: calendar.addWorkingDays(issuedAt, 10).toISOString(),
    };
    const bus = createKafkaBus(platform.topicPrefix, 'test-trigger');
    try {
      const event = createCloudEvent({
        type: EventTypes.assignmentIssued,
        source: '/credit/trigger',
        subject: holidayEntry,
        actorDept: 'TAX',
        data: issued,
        time: issuedAt,
      });
      await bus.publish([{ topic: Topics.assignments, key: S2.id, value: JSON.stringify(event) }]);
    } finally {
      await bus.close();
    }
    const row = await waitFor(async () => (await rowsOf(holidayEntry))[0], { message: 'holiday assignment' });
    // 09-30 is the first working day, 10-01..07 are holidays: the second working day is 10-08
    expect(row.ackDeadline.toISOString()).toBe('2026-10-08T02:00:00.000Z');
    expect(await markOverdue(new Date('2026-10-07T23:00:00Z'))).toEqual([]); // weekdays alone would say late
    expect(await markOverdue(new Date('2026-10-08T02:01:00Z'))).toEqual(['TAX:acknowledgement:1']);
    expect(await markOverdue(new Date('2026-10-08T03:00:00Z'))).toEqual([]); // a mark is made once

    // three further working days: 10-09, Saturday 10-10 (调休上班), 10-12
    expect(row.ackEscalationAt.toISOString()).toBe('2026-10-12T02:00:00.000Z');
    expect(await markOverdue(new Date('2026-10-12T01:59:00Z'))).toEqual([]);
    expect(await markOverdue(new Date('2026-10-12T02:01:00Z'))).toEqual(['TAX:acknowledgement:2']);
    await overdueInTrail();

    const trail = await api<{ items: { type: string; data: Record<string, unknown> }[] }>(
      'GET',
      `${platform.url.tracking}/v1/list-entries/${holidayEntry}/trail`,
      { token: tokens.supervisor },
    );
    expect(trail.body.items.map((r) => [r.type, r.data.level ?? null])).toEqual([
      [EventTypes.assignmentIssued, null],
      [EventTypes.trackingOverdue, 1],
      [EventTypes.trackingOverdue, 2],
    ]);
    expect(trail.body.items[1].data).toEqual({
      assignmentId: holidayAssignment,
      entryId: holidayEntry,
      dept: 'TAX',
      kind: 'acknowledgement',
      deadline: '2026-10-08T02:00:00.000Z',
      level: 1,
      at: '2026-10-08T02:01:00.000Z',
    });
  });

  it('marks the departments that miss the acknowledgement deadline and clears them when they catch up', async () => {
    // the deadlines' working days of an entry published today: follow-up.medium-cases.ts
    entry1 = await publishEntry(S1);
    const rows = await rowsOf(entry1);
    const id = Object.fromEntries(rows.map((r) => [r.dept, r.id]));
    expect((await feedback('FINANCE', id.FINANCE, 'ack')).status).toBe(200);
    await waitRow(entry1, 'FINANCE', (r) => !!r.acknowledgedAt, 'FINANCE acknowledged');

    const pastAck = new Date(Math.max(...rows.map((r) => r.ackDeadline.getTime())) + MINUTE);
    expect(await markOverdue(new Date(pastAck.getTime() - 2 * MINUTE - 1000))).toEqual(
      // only the holiday assignment's feedback deadline (10 working days from 09-29) and its escalation
      ['TAX:feedback:1', 'TAX:feedback:2'],
    );
    expect(await markOverdue(pastAck)).toEqual(['NDRC:acknowledgement:1', 'SAMR:acknowledgement:1']);
    expect((await rowOf(entry1, 'NDRC')).overdue).toBe(true);

    // NDRC catches up: the flag goes off with the time it did
    expect((await feedback('NDRC', id.NDRC, 'ack')).status).toBe(200);
    const cleared = await waitRow(entry1, 'NDRC', (r) => !r.overdue, 'NDRC cleared');
    expect(cleared.clearedAt).toEqual(cleared.acknowledgedAt);

    // FINANCE reports in time; at the later pass SAMR is escalated and the feedback deadlines have passed
    expect(
      (await feedback('FINANCE', id.FINANCE, 'feedback', { outcome: 'enforced', detail: '否决投标' })).status,
    ).toBe(200);
    await waitFor(
      async () =>
        (
          await db.query(
            `SELECT 1 FROM tracking.follow_up_assignments WHERE id = $1 AND enforced_at IS NOT NULL`,
            [id.FINANCE],
          )
        ).rowCount === 1,
      { message: 'FINANCE enforced' },
    );
    const samr = rows.find((r) => r.dept === 'SAMR')!;
    const later = new Date(
      Math.max(samr.ackEscalationAt.getTime(), ...rows.map((r) => r.feedbackDeadline.getTime())) + MINUTE,
    );
    expect(await markOverdue(later)).toEqual([
      'NDRC:feedback:1',
      'SAMR:acknowledgement:2',
      'SAMR:feedback:1',
    ]);
    await overdueInTrail();
  });

  // the list's filters, paging and roles are rules: apps/tracking/src/follow-up/follow-up.medium-cases.ts
  it('lists for supervisors what was marked from Kafka, the National Day assignment among the oldest', async () => {
    type Page = {
      items: { id: string; entryId: string; dept: string; kind: string; level: number; deadline: string }[];
    };
    const get = (query = '') =>
      api<Page>('GET', `${platform.url.tracking}/v1/overdue${query}`, { token: tokens.supervisor });
    const all = await get();
    expect(all.status).toBe(200);
    expect(all.body.items.map((i) => `${i.dept}:${i.kind}:${i.level}`).sort()).toEqual([
      'NDRC:feedback:1',
      'SAMR:acknowledgement:2',
      'TAX:acknowledgement:2',
    ]);
    const samr = all.body.items.find((i) => i.dept === 'SAMR')!;
    expect(samr.entryId).toBe(entry1);
    expect(samr.deadline).toBe((await rowOf(entry1, 'SAMR')).ackDeadline.toISOString());
    // only the holiday assignment's deadline is a month old
    expect((await get('?minAgeDays=30')).body.items.map((i) => i.id)).toEqual([holidayAssignment]);
  });

  it('stops following lifted or not-applicable assignments and clears each kind as it is met', async () => {
    const id = Object.fromEntries((await rowsOf(entry1)).map((r) => [r.dept, r.id]));
    expect(
      (
        await feedback('NDRC', id.NDRC, 'feedback', {
          outcome: 'not_applicable',
          detail: '该企业无债券发行计划',
        })
      ).status,
    ).toBe(200);
    await waitRow(entry1, 'NDRC', (r) => !r.overdue, 'NDRC not applicable');

    // SAMR acknowledges late: still overdue on its feedback; then it reports and is clear
    expect((await feedback('SAMR', id.SAMR, 'ack')).status).toBe(200);
    await waitRow(entry1, 'SAMR', (r) => !!r.acknowledgedAt, 'SAMR acknowledged');
    const still = await api<{ items: { kind: string; level: number }[] }>(
      'GET',
      `${platform.url.tracking}/v1/overdue?dept=SAMR`,
      { token: tokens.supervisor },
    );
    expect(still.body.items).toEqual([expect.objectContaining({ kind: 'feedback', level: 1 })]);
    expect(
      (await feedback('SAMR', id.SAMR, 'feedback', { outcome: 'enforced', detail: '列入重点检查' })).status,
    ).toBe(200);
    await waitRow(entry1, 'SAMR', (r) => !r.overdue && !!r.clearedAt, 'SAMR cleared');

    // TAX acknowledges on 10-13, after its deadline (standing for enforcement at that date)
    const bus = createKafkaBus(platform.topicPrefix, 'test-enforcement');
    try {
      const ack: FeedbackAcknowledgedV1 = {
        assignmentId: holidayAssignment,
        entryId: holidayEntry,
        dept: 'TAX',
        actor: 'tax-user',
        at: '2026-10-13T01:00:00.000Z',
      };
      const event = createCloudEvent({
        type: EventTypes.feedbackAcknowledged,
        source: '/credit/enforcement',
        subject: holidayEntry,
        actorDept: 'TAX',
        data: ack,
        time: new Date(ack.at),
      });
      await bus.publish([{ topic: Topics.feedback, key: S2.id, value: JSON.stringify(event) }]);
    } finally {
      await bus.close();
    }
    await waitRow(holidayEntry, 'TAX', (r) => !!r.acknowledgedAt, 'TAX acknowledged');
    const tax = await api<{ items: { kind: string; level: number }[] }>(
      'GET',
      `${platform.url.tracking}/v1/overdue?dept=TAX`,
      { token: tokens.supervisor },
    );
    expect(tax.body.items).toEqual([expect.objectContaining({ kind: 'feedback', level: 2 })]);

    // a second entry: FINANCE acts, NDRC only acknowledges, SAMR does nothing; then the entry ends
    entry2 = await publishEntry(S2);
    const id2 = Object.fromEntries((await rowsOf(entry2)).map((r) => [r.dept, r.id]));
    expect((await feedback('FINANCE', id2.FINANCE, 'ack')).status).toBe(200);
    expect(
      (await feedback('FINANCE', id2.FINANCE, 'feedback', { outcome: 'enforced', detail: '否决投标' }))
        .status,
    ).toBe(200);
    expect((await feedback('NDRC', id2.NDRC, 'ack')).status).toBe(200);
    const ended = await api('POST', `${platform.url.registry}/v1/list-entries/${entry2}/end`, {
      token: tokens.court,
      body: { reason: 'repaired', note: '已履行' },
    });
    expect(ended.status).toBe(200);
    for (const dept of ['FINANCE', 'NDRC', 'SAMR'])
      await waitRow(entry2, dept, (r) => !!r.liftedAt, `${dept} lifted`);
    await waitFor(async () => (await feedback('FINANCE', id2.FINANCE, 'lift-confirmation')).status === 200, {
      message: 'FINANCE confirms the lift',
    });
    await waitFor(
      async () =>
        (
          await db.query(
            `SELECT 1 FROM tracking.follow_up_assignments WHERE id = $1 AND lift_confirmed_at IS NOT NULL`,
            [id2.FINANCE],
          )
        ).rowCount === 1,
      { message: 'lift confirmation tracked' },
    );
    // lifted assignments are no longer followed: a pass long after changes nothing for them
    expect(await markOverdue(new Date('2027-06-01T00:00:00Z'))).toEqual([]);
  });

  /** Every figure recounted from the trail records with one plain aggregation (deadlines from the read model). */
  async function recount(client: Client, from?: string, to?: string) {
    const { rows } = await client.query(
      `WITH issued AS (
         SELECT data->>'assignmentId' AS id, data->>'dept' AS dept,
                ((data->>'issuedAt')::timestamptz AT TIME ZONE 'UTC' + interval '8 hours')::date AS day
         FROM tracking.trail_records WHERE type = '${EventTypes.assignmentIssued}'),
       fact AS (
         SELECT data->>'assignmentId' AS id, type, min(coalesce(data->>'at', data->>'liftedAt')::timestamptz) AS at
         FROM tracking.trail_records GROUP BY 1, 2),
       marked AS (
         SELECT DISTINCT data->>'assignmentId' AS id, data->>'kind' AS kind
         FROM tracking.trail_records WHERE type = '${EventTypes.trackingOverdue}')
       SELECT i.dept,
         count(*)::int AS assigned,
         count(ack.id)::int AS acknowledged,
         count(*) FILTER (WHERE ack.at <= a.ack_deadline)::int AS "acknowledgedOnTime",
         count(enf.id)::int AS enforced,
         count(na.id)::int AS "notApplicable",
         count(lc.id)::int AS "liftsConfirmed",
         count(*) FILTER (WHERE lifted.id IS NULL AND lc.id IS NULL AND na.id IS NULL AND (
           (ack.id IS NULL AND EXISTS (SELECT 1 FROM marked m WHERE m.id = i.id AND m.kind = 'acknowledgement'))
           OR (enf.id IS NULL AND EXISTS (SELECT 1 FROM marked m WHERE m.id = i.id AND m.kind = 'feedback'))
         ))::int AS overdue,
         count(*) FILTER (WHERE ack.id IS NOT NULL AND (enf.id IS NOT NULL OR na.id IS NOT NULL))::int AS acted
       FROM issued i
       JOIN tracking.follow_up_assignments a ON a.id = i.id::uuid
       LEFT JOIN fact ack ON ack.id = i.id AND ack.type = '${EventTypes.feedbackAcknowledged}'
       LEFT JOIN fact enf ON enf.id = i.id AND enf.type = '${EventTypes.feedbackEnforced}'
       LEFT JOIN fact na ON na.id = i.id AND na.type = '${EventTypes.feedbackNotApplicable}'
       LEFT JOIN fact lc ON lc.id = i.id AND lc.type = '${EventTypes.feedbackLiftConfirmed}'
       LEFT JOIN fact lifted ON lifted.id = i.id AND lifted.type = '${EventTypes.assignmentLifted}'
       WHERE ($1::date IS NULL OR i.day >= $1::date) AND ($2::date IS NULL OR i.day <= $2::date)
       GROUP BY i.dept ORDER BY i.dept`,
      [from ?? null, to ?? null],
    );
    return rows as ({ dept: string; acted: number; assigned: number } & Record<string, number | string>)[];
  }

  type DepartmentStats = {
    items: Record<string, string | number>[];
    applicationRate: {
      threshold: number;
      departments: number;
      applying: number;
      rate: number;
      byDepartment: { dept: string; applies: boolean }[];
    };
  };

  it('keeps per-department statistics that equal a recount from the trail, with the application rate', async () => {
    const stats = await api<DepartmentStats>('GET', `${platform.url.tracking}/v1/stats/departments`, {
      token: tokens.supervisor,
    });
    expect(stats.status).toBe(200);
    const counted = await recount(db);
    expect(stats.body.items).toEqual(counted.map(({ acted: _acted, ...row }) => row));
    expect(stats.body.items).toEqual([
      {
        dept: 'FINANCE',
        assigned: 2,
        acknowledged: 2,
        acknowledgedOnTime: 2,
        enforced: 2,
        notApplicable: 0,
        liftsConfirmed: 1,
        overdue: 0,
      },
      {
        dept: 'NDRC',
        assigned: 2,
        acknowledged: 2,
        acknowledgedOnTime: 2,
        enforced: 0,
        notApplicable: 1,
        liftsConfirmed: 0,
        overdue: 0,
      },
      {
        dept: 'SAMR',
        assigned: 2,
        acknowledged: 1,
        acknowledgedOnTime: 1,
        enforced: 1,
        notApplicable: 0,
        liftsConfirmed: 0,
        overdue: 0,
      },
      {
        dept: 'TAX',
        assigned: 1,
        acknowledged: 1,
        acknowledgedOnTime: 0,
        enforced: 0,
        notApplicable: 0,
        liftsConfirmed: 0,
        overdue: 1,
      },
    ]);
    // FINANCE acted on 2/2; NDRC and SAMR on 1/2; TAX on 0/1
    expect(stats.body.applicationRate).toMatchObject({
      threshold: 0.95,
      departments: 4,
      applying: 1,
      rate: 0.25,
    });
    expect(stats.body.applicationRate.byDepartment.filter((d) => d.applies).map((d) => d.dept)).toEqual([
      'FINANCE',
    ]);
    const expectedRate = counted.filter((r) => r.acted / r.assigned >= 0.95).length / counted.length;
    expect(stats.body.applicationRate.rate).toBe(expectedRate);

    // the period is of issue days (Beijing): today leaves out the assignment issued on 09-29
    const today = chinaIsoDate(new Date());
    const inPeriod = await api<DepartmentStats>(
      'GET',
      `${platform.url.tracking}/v1/stats/departments?from=${today}&to=${today}`,
      { token: tokens.supervisor },
    );
    expect(inPeriod.body.items).toEqual(
      (await recount(db, today, today)).map(({ acted: _a, ...row }) => row),
    );
    expect(inPeriod.body.items.map((r) => r.dept)).toEqual(['FINANCE', 'NDRC', 'SAMR']);
    expect(inPeriod.body.applicationRate).toMatchObject({ departments: 3, applying: 1, rate: 1 / 3 });
    const september = await api<DepartmentStats>(
      'GET',
      `${platform.url.tracking}/v1/stats/departments?from=2026-09-01&to=2026-09-30`,
      { token: tokens.supervisor },
    );
    expect(september.body.items.map((r) => r.dept)).toEqual(['TAX']);

    type Rows = { items: Record<string, string | number>[] };
    const get = (path: string) =>
      api<Rows>('GET', `${platform.url.tracking}/v1/stats/${path}`, { token: tokens.supervisor });
    const byList = await get('list-types');
    expect(byList.body.items.map((r) => [r.listType, r.assigned, r.acted])).toEqual([
      ['COURT_DEFAULTER', 6, 4],
      ['TAX_MAJOR_OFFENDER', 1, 0],
    ]);
    const byMemorandum = await get('memoranda');
    expect(byMemorandum.body.items.map((r) => [r.memorandumCode, r.assigned, r.overdue])).toEqual([
      ['MOU-2016-141', 6, 0],
      ['MOU-2016-TAX', 1, 1],
    ]);
    const daily = await get('daily?from=2026-09-01');
    expect(daily.body.items.map((r) => [r.day, r.assigned])).toEqual([
      ['2026-09-29', 1],
      [today, 6],
    ]);
    // region: the registry announced each department's region; figures follow the department
    await waitFor(
      async () =>
        (await db.query('SELECT count(*)::int AS n FROM tracking.department_regions')).rows[0].n === 5,
      { message: "the departments' regions reached tracking" },
    );
    const hangzhou = await api<DepartmentStats>(
      'GET',
      `${platform.url.tracking}/v1/stats/departments?region=330100`,
      { token: tokens.supervisor },
    );
    expect(hangzhou.body.items).toEqual(stats.body.items.filter((r) => r.dept !== 'TAX'));
    expect(hangzhou.body.applicationRate).toMatchObject({ departments: 3, applying: 1 });
    const ningbo = await get('departments?region=330200');
    expect(ningbo.body.items).toEqual(stats.body.items.filter((r) => r.dept === 'TAX'));
    expect((await get('list-types?region=330200')).body.items.map((r) => r.listType)).toEqual([
      'TAX_MAJOR_OFFENDER',
    ]);
    expect((await get('departments?region=110000')).body.items).toEqual([]);
    expect((await get('departments?from=2026-13-01')).status).toBe(400);
    expect(
      (await api('GET', `${platform.url.tracking}/v1/stats/departments`, { token: tokens.finance })).status,
    ).toBe(403);
  });

  it('gives identical trails and figures when a fresh tracking replays every topic from the beginning', async () => {
    await overdueInTrail();
    const replayDb = await createTestDatabase();
    const config = loadConfig(ServiceConfig, {
      DATABASE_URL: replayDb.url,
      KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: platform.topicPrefix,
      KAFKA_PARTITIONS: '3',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    });
    let replay: NestFastifyApplication | undefined;
    const replayClient = new Client({ connectionString: replayDb.url });
    try {
      replay = await createServiceApp({
        name: 'tracking',
        title: 'tracking (replay)',
        config,
        logger: createRootLogger('tracking-replay', config.LOG_LEVEL),
        modules: [
          TrackingModule.register({ databaseUrl: replayDb.url, poolSize: 4, groupSuffix: '.replay' }),
        ],
      });
      await replay.listen(0, '127.0.0.1');
      const replayUrl = await replay.getUrl();
      await replayClient.connect();
      const count = async (client: Client) =>
        (await client.query('SELECT count(*)::int AS n FROM tracking.trail_records')).rows[0].n as number;
      const expected = await count(db);
      await waitFor(async () => (await count(replayClient)) === expected, {
        timeoutMs: 20_000,
        message: `the replay caught up (${expected} trail records)`,
      });

      // the trail: the same records, sealed into the same chains (decision 0011). Both seal at the same
      // instant once they have read everything; events stamped later (the overdue marks the test made
      // "in the future") stay unsealed in both.
      const now = new Date();
      const sealOriginal = await platform.app.tracking.get(TrailSealJob).seal(now);
      expect(sealOriginal.watermark).toBe(now.toISOString());
      expect(sealOriginal.late).toBe(0);
      const sealReplay = await waitFor(
        async () => {
          const pass = await replay!.get(TrailSealJob).seal(now);
          return pass.watermark === now.toISOString() ? pass : undefined;
        },
        { message: 'the replay read everything and sealed' },
      );
      expect(sealReplay.late).toBe(0);
      const records = async (client: Client) =>
        (
          await client.query(
            `SELECT entry_id, event_id, type, topic, time, actor_dept, data FROM tracking.trail_records
             ORDER BY entry_id, event_id`,
          )
        ).rows;
      expect(await records(replayClient)).toEqual(await records(db));
      const seals = async (client: Client) =>
        (
          await client.query(
            `SELECT entry_id, position, event_id, prev_hash, hash, late FROM tracking.trail_seals
             ORDER BY entry_id, position`,
          )
        ).rows;
      const sealed = await seals(db);
      expect(sealed.length).toBeGreaterThan(20);
      expect(await seals(replayClient)).toEqual(sealed);
      const unsealed = async (client: Client) =>
        (await client.query('SELECT * FROM tracking.trail_unsealed ORDER BY event_id')).rows;
      expect(await unsealed(replayClient)).toEqual(await unsealed(db));
      expect((await unsealed(db)).every((r: { time: Date }) => r.time > now)).toBe(true);

      const entries = (await db.query('SELECT DISTINCT entry_id FROM tracking.trail_records')).rows.map(
        (r: { entry_id: string }) => r.entry_id,
      );
      type TrailItem = Record<string, unknown> & { recordedAt: string; sealedAt: string | null };
      for (const entryId of entries) {
        // what a supervisor reads: the same items, order, positions and hashes (only local times differ)
        const [a, b] = await Promise.all(
          [platform.url.tracking, replayUrl].map((url) =>
            api<{ items: TrailItem[] }>('GET', `${url}/v1/list-entries/${entryId}/trail`, {
              token: tokens.supervisor,
            }),
          ),
        );
        const content = (items: TrailItem[]) =>
          items.map(({ recordedAt: _r, sealedAt: _s, ...item }) => item);
        expect(content(b.body.items)).toEqual(content(a.body.items));
        for (const url of [platform.url.tracking, replayUrl]) {
          const verify = await api('GET', `${url}/v1/list-entries/${entryId}/trail/verify`, {
            token: tokens.supervisor,
          });
          expect(verify.body).toMatchObject({ valid: true, firstBroken: null });
        }
      }

      // reconciliation's facts about entries and check hits; departments' regions
      for (const table of [
        'entries ORDER BY entry_id',
        'check_hits ORDER BY check_id, entry_id',
        'department_regions ORDER BY dept',
      ]) {
        const rows = async (client: Client) => (await client.query(`SELECT * FROM tracking.${table}`)).rows;
        expect(await rows(replayClient)).toEqual(await rows(db));
      }

      // the read model and every counter, exactly
      const readModel = async (client: Client) =>
        (await client.query('SELECT * FROM tracking.follow_up_assignments ORDER BY id')).rows.map(
          ({ updated_at: _u, ...row }: Record<string, unknown>) => row,
        );
      expect(await readModel(replayClient)).toEqual(await readModel(db));
      const counters = async (client: Client) =>
        (
          await client.query(
            'SELECT * FROM tracking.stats_daily ORDER BY dept, list_type, memorandum_code, day',
          )
        ).rows;
      expect(await counters(replayClient)).toEqual(await counters(db));
      for (const path of ['departments', 'list-types', 'memoranda', 'daily']) {
        const [a, b] = await Promise.all(
          [platform.url.tracking, replayUrl].map((url) =>
            api('GET', `${url}/v1/stats/${path}`, { token: tokens.supervisor }),
          ),
        );
        expect(b.body).toEqual(a.body);
      }
      expect(await recount(replayClient)).toEqual(await recount(db));
    } finally {
      await replayClient.end().catch(() => undefined);
      await replay?.close();
      await replayDb.drop();
    }
  }, 40_000);
});
