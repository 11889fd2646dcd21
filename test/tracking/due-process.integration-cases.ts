import { isDeepStrictEqual } from 'node:util';
import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TrackingModule } from '../../apps/tracking/src/tracking.module';
import { TrailSealJob } from '../../apps/tracking/src/trail/trail-seal.job';
import { trailRank } from '../../apps/tracking/src/trail/trail-order';
import { mintToken } from '@credit/auth';
import { CloudEvent, EventTypes, Role, Topics } from '@credit/contracts';
import { createCloudEvent, MessageBus } from '@credit/messaging';
import { createRootLogger, loadConfig, ServiceConfig } from '@credit/platform';
import { createServiceApp } from '@credit/runtime';
import { uscc } from '../registry/registry-fixtures';
import { admitDepartment } from '../support/departments';
import { createTestDatabase, KAFKA_BROKERS, uniquePrefix, waitFor } from '../support/infra';
import { api, TEST_JWT_SECRET } from '../support/services';

const DAY = 86_400_000;
const OWNER = 'MARKET';
const OTHER = 'TAXES';

type Figures = Record<string, Record<string, number>>;
type TrailItem = { type: string; eventId: string; sealed: boolean };

/**
 * Tracking over real Kafka and PostgreSQL, fed the due-process events as registry publishes them:
 * a notice, a statement and its answer, the documents served, a late objection, a repair that asked for
 * material and was accepted and decided in time, one never accepted (overdue), commitments recorded, kept
 * and broken. The entry's trail holds each step and seals into a valid chain; the statistics, the overdue
 * repairs and the owner's assessment count them; a redelivered event changes nothing.
 */
describe('tracking: the subject’s due process (statements, objections, repair, commitments)', () => {
  let app: NestFastifyApplication;
  let url: string;
  let drop: () => Promise<void>;
  const token = (dept: string, roles: Role[]) => {
    admitDepartment([app], dept, roles);
    return mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles }, TEST_JWT_SECRET);
  };
  let supervisor: string;

  const now = Date.now();
  const t0 = now - 40 * DAY;
  const at = (days: number) => new Date(t0 + days * DAY).toISOString();
  const subject = { kind: 'legal_person' as const, id: uscc('DUEPR001'), name: '某某公司' };
  const listType = { code: 'MARKET_SERIOUS', colour: 'black', infoClass: 'B', severity: 'serious' };
  const entry1 = randomUUID();
  const entry2 = randomUUID();
  const entry3 = randomUUID();
  const [repair1, repair2, repair3] = [randomUUID(), randomUUID(), randomUUID()];
  const [commitment1, commitment2, commitment3] = [randomUUID(), randomUUID(), randomUUID()];
  const statementId = randomUUID();
  const objectionId = randomUUID();

  const event = (type: string, time: string, data: Record<string, unknown>, actorDept = OWNER) =>
    createCloudEvent({ type, source: '/credit/registry', actorDept, data, time: new Date(time) });
  const onEntry = (entryId: string, ownerDept = OWNER) => ({ entryId, listType, ownerDept, subject });
  const repairEvent = (
    type: string,
    applicationId: string,
    entryId: string,
    time: string,
    extra: Record<string, unknown>,
  ) => {
    const dept = entryId === entry3 ? OTHER : OWNER;
    return event(type, time, { applicationId, ...onEntry(entryId, dept), at: time, ...extra }, dept);
  };

  const entryEvents: CloudEvent<Record<string, unknown>>[] = [];
  const commitmentEvents: CloudEvent<Record<string, unknown>>[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase();
    const config = loadConfig(ServiceConfig, {
      DATABASE_URL: database.url,
      KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: uniquePrefix(),
      KAFKA_PARTITIONS: '3',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    });
    app = await createServiceApp({
      name: 'tracking',
      title: 'tracking',
      config,
      logger: createRootLogger('tracking', config.LOG_LEVEL),
      modules: [TrackingModule.register({ databaseUrl: database.url, poolSize: 4 })],
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    drop = () => database.drop();
    supervisor = await token('CREDIT_OFFICE', ['supervisor']);

    const noticed = (entryId: string, days: number) =>
      event(EventTypes.listEntryNoticed, at(days), {
        ...onEntry(entryId),
        channel: 'online',
        noticedAt: at(days),
        statementDeadline: at(days + 5),
      });
    const document = (entryId: string, kind: string, days: number, applicationId?: string) =>
      event(EventTypes.documentIssued, at(days), {
        documentId: randomUUID(),
        entryId,
        kind,
        ownerDept: OWNER,
        ...(applicationId ? { applicationId } : {}),
        title: kind,
        issuedAt: at(days),
      });
    entryEvents.push(
      noticed(entry1, 0),
      event(
        EventTypes.statementReceived,
        at(1),
        { statementId, ...onEntry(entry1), filedBy: { role: 'subject' }, receivedAt: at(1) },
        '',
      ),
      event(EventTypes.statementAnswered, at(2), {
        statementId,
        ...onEntry(entry1),
        accepted: false,
        receivedAt: at(1),
        answeredAt: at(2),
      }),
      document(entry1, 'statement_answer', 2),
      document(entry1, 'listing_decision', 6),
      document(entry1, 'repair_notice', 6),
      // an objection resolved two days after its deadline
      event(EventTypes.listEntryObjectionOpened, at(7), {
        objectionId,
        ...onEntry(entry1),
        suspendMeasures: false,
        deadline: at(10),
        openedAt: at(7),
      }),
      event(EventTypes.listEntryObjectionResolved, at(12), {
        objectionId,
        ...onEntry(entry1),
        outcome: 'upheld',
        suspendMeasures: false,
        resolvedAt: at(12),
      }),
      // repair 1: material asked for (the clock pauses), supplied, accepted and decided in time
      repairEvent(EventTypes.repairSubmitted, repair1, entry1, at(13), {
        filedBy: { role: 'credit_office', dept: 'CREDIT_OFFICE' },
        acceptDeadline: at(15),
      }),
      repairEvent(EventTypes.repairMaterialRequested, repair1, entry1, at(14), { missing: ['完税证明'] }),
      repairEvent(EventTypes.repairMaterialSupplied, repair1, entry1, at(16), { acceptDeadline: at(18) }),
      repairEvent(EventTypes.repairAccepted, repair1, entry1, at(17), {
        acceptDeadline: at(18),
        decideDeadline: at(24),
        onTime: true,
      }),
      repairEvent(EventTypes.repairDecided, repair1, entry1, at(23), {
        outcome: 'approved',
        decideDeadline: at(24),
        onTime: true,
      }),
      document(entry1, 'repair_decision', 23, repair1),
      // repair 2: never accepted, its deadline long past
      noticed(entry2, 18),
      repairEvent(EventTypes.repairSubmitted, repair2, entry2, at(20), {
        filedBy: { role: 'subject' },
        acceptDeadline: at(22),
      }),
      // repair 3, another department's: submitted yesterday, due in five days
      repairEvent(EventTypes.repairSubmitted, repair3, entry3, new Date(now - DAY).toISOString(), {
        filedBy: { role: 'initiator', dept: OTHER },
        acceptDeadline: new Date(now + 5 * DAY).toISOString(),
      }),
    );
    const commitment = (
      type: string,
      id: string,
      days: number,
      extra: Record<string, unknown>,
      dept = OWNER,
    ) => event(type, at(days), { commitmentId: id, subject, recordedByDept: dept, ...extra }, dept);
    commitmentEvents.push(
      commitment(EventTypes.commitmentRecorded, commitment1, 13, {
        matter: 'repair',
        entryId: entry1,
        recordedAt: at(13),
      }),
      commitment(EventTypes.commitmentKept, commitment1, 23, {
        matter: 'repair',
        entryId: entry1,
        keptAt: at(23),
      }),
      commitment(EventTypes.commitmentRecorded, commitment2, 3, { matter: 'licence', recordedAt: at(3) }),
      commitment(EventTypes.commitmentBroken, commitment2, 8, {
        matter: 'licence',
        newEntryId: entry2,
        brokenAt: at(8),
      }),
      commitment(
        EventTypes.commitmentRecorded,
        commitment3,
        9,
        { matter: 'subsidy', recordedAt: at(9) },
        OTHER,
      ),
    );
    const bus = app.get(MessageBus);
    // the owning departments' regions, as the registry announces them
    await bus.publish(
      [
        [OWNER, '330100'],
        [OTHER, '330200'],
      ].map(([code, region]) => ({
        topic: Topics.departments,
        key: code,
        value: JSON.stringify(
          createCloudEvent({
            type: EventTypes.departmentRegistered,
            source: '/credit/registry',
            data: { code, name: code, region, at: new Date().toISOString() },
          }),
        ),
      })),
    );
    await bus.publish([
      ...entryEvents.map((e) => ({ topic: Topics.listEntries, key: subject.id, value: JSON.stringify(e) })),
      ...commitmentEvents.map((e) => ({
        topic: Topics.commitments,
        key: subject.id,
        value: JSON.stringify(e),
      })),
    ]);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  const stats = async (query: string) =>
    (
      await api<{ items: ({ dept: string } & Figures)[]; totals: Figures }>(
        'GET',
        `${url}/v1/stats/due-process${query}`,
        { token: supervisor },
      )
    ).body;

  it('counts each department’s statements, objections, repairs, documents and commitments', async () => {
    const expected = {
      dept: OWNER,
      notices: { noticed: 2 },
      statements: { received: 1, answered: 1, accepted: 0, unanswered: 0, closed: 0 },
      objections: { opened: 1, resolved: 1, resolvedOnTime: 0, overdueNow: 0, everOverdue: 1, closed: 0 },
      repairs: {
        submitted: 2,
        materialRequested: 1,
        accepted: 1,
        acceptedOnTime: 1,
        decided: 1,
        decidedOnTime: 1,
        approved: 1,
        rejected: 0,
        overdueNow: 1,
        everOverdue: 1,
        withdrawn: 0,
        closed: 0,
      },
      documents: {
        issued: 4,
        listingDecisions: 1,
        repairNotices: 1,
        repairDecisions: 1,
        statementAnswers: 1,
      },
      commitments: { recorded: 2, open: 0, kept: 1, broken: 1, listedOnBreach: 1 },
    };
    // every figure, not some: CI once saw the notices still 0 while the repairs and commitments were counted
    const counted = async () => {
      const body = await stats('');
      const owner = body.items?.find((i) => i.dept === OWNER);
      const other = body.items?.find((i) => i.dept === OTHER);
      const done =
        isDeepStrictEqual(owner, expected) &&
        other?.repairs.submitted === 1 &&
        other.commitments.recorded === 1;
      return done ? body.items : undefined;
    };
    // on time-out the assertions below show what differs
    const figures = await waitFor(counted, {
      message: 'every due-process event counted',
      timeoutMs: 30_000,
    }).catch(async () => (await stats('')).items);
    const owner = figures.find((i) => i.dept === OWNER)!;
    expect(owner).toEqual(expected);
    const other = figures.find((i) => i.dept === OTHER)!;
    expect(other.repairs).toMatchObject({ submitted: 1, overdueNow: 0 });
    expect(other.commitments).toMatchObject({ recorded: 1, open: 1 });
    // the period is the cohort's: what started before the 10th day of the story
    const from = new Date(t0 + 8 * 3_600_000).toISOString().slice(0, 10);
    const to = new Date(t0 + 9 * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
    const early = await stats(`?from=${from}&to=${to}&dept=${OWNER}`);
    expect(
      early.items.map((i) => [i.dept, i.repairs.submitted, i.commitments.recorded, i.objections.opened]),
    ).toEqual([[OWNER, 0, 1, 1]]);
    expect(early.totals.statements.received).toBe(1);
  });

  it('shows supervisors the repair past its deadline, per owning department', async () => {
    const res = await api<{
      items: { applicationId: string; ownerDept: string; kind: string; deadline: string; ageDays: number }[];
      byDepartment: { dept: string; overdue: number; accept: number; decide: number }[];
    }>('GET', `${url}/v1/overdue/repairs`, { token: supervisor });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ applicationId: repair2, ownerDept: OWNER, kind: 'accept', deadline: at(22) }),
    ]);
    expect(res.body.items[0].ageDays).toBe(18);
    expect(res.body.byDepartment).toEqual([{ dept: OWNER, overdue: 1, accept: 1, decide: 0 }]);
    const none = await api<{ items: unknown[] }>('GET', `${url}/v1/overdue/repairs?kind=decide`, {
      token: supervisor,
    });
    expect(none.body.items).toEqual([]);
    const refused = await api<{ code: string }>('GET', `${url}/v1/overdue/repairs`, {
      token: await token(OWNER, ['initiator']),
    });
    expect(refused.body.code).toBe('AUTH.ROLE_FORBIDDEN');
  });

  it('shows a region’s supervisor its region only', async () => {
    const regional = (region: string) =>
      mintToken({ sub: 'regional', dept: 'CREDIT_OFFICE', roles: ['supervisor'], region }, TEST_JWT_SECRET);
    const there = await regional('330200');
    await waitFor(
      async () =>
        (await api<{ items: { dept: string }[] }>('GET', `${url}/v1/stats/due-process`, { token: there }))
          .body.items?.length === 1,
      { message: 'the regions known' },
    );
    const stats = await api<{ items: { dept: string }[]; region: string }>(
      'GET',
      `${url}/v1/stats/due-process`,
      {
        token: there,
      },
    );
    expect({ region: stats.body.region, depts: stats.body.items.map((i) => i.dept) }).toEqual({
      region: '330200',
      depts: [OTHER],
    });
    const overdue = await api<{ items: unknown[] }>('GET', `${url}/v1/overdue/repairs`, { token: there });
    expect(overdue.body.items).toEqual([]);
    const here = await api<{ items: { applicationId: string }[] }>('GET', `${url}/v1/overdue/repairs`, {
      token: await regional('330100'),
    });
    expect(here.body.items.map((i) => i.applicationId)).toEqual([repair2]);
    const outside = await api<{ code: string }>('GET', `${url}/v1/overdue/repairs?region=330100`, {
      token: there,
    });
    expect(outside.body.code).toBe('ACCESS.OUTSIDE_REGION');
  });

  it('counts the overdue repair and the late objection against the owner in its assessment', async () => {
    type Assessment = {
      dueProcess: Figures;
      overdueNow: { assignments: number; objections: number; repairs: number; total: number };
    };
    const asOwner = await token(OWNER, ['initiator']);
    const res = await api<Assessment>('GET', `${url}/v1/reports/assessment?dept=${OWNER}`, {
      token: asOwner,
    });
    expect(res.status).toBe(200);
    expect(res.body.overdueNow).toEqual({ assignments: 0, objections: 0, repairs: 1, total: 1 });
    expect(res.body.dueProcess.repairs).toMatchObject({ submitted: 2, overdueNow: 1, everOverdue: 1 });
    expect(res.body.dueProcess.objections).toMatchObject({ opened: 1, resolvedOnTime: 0, everOverdue: 1 });
    expect(res.body.dueProcess.commitments).toMatchObject({ recorded: 2, broken: 1 });
    // another department's initiator reads its own only
    const other = await api<{ code: string }>('GET', `${url}/v1/reports/assessment?dept=${OWNER}`, {
      token: await token(OTHER, ['initiator']),
    });
    expect(other.body.code).toBe('ASSESSMENT.OTHER_DEPARTMENT');
    const csv = await fetch(`${url}/v1/reports/assessment?dept=${OWNER}&format=csv`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    const lines = Buffer.from(await csv.arrayBuffer())
      .subarray(3)
      .toString('utf8')
      .trim()
      .split('\r\n');
    const header = lines[0].split(',');
    const total = lines[1].split(',');
    expect(Number(total[header.indexOf('修复逾期 repairsOverdueNow')])).toBe(1);
    expect(Number(total[header.indexOf('当前逾期合计 overdueNowTotal')])).toBe(1);
  });

  it('keeps every step in the entry’s trail, in order, sealed into a valid chain', async () => {
    const trail = async () =>
      (
        await api<{ items: TrailItem[] }>('GET', `${url}/v1/list-entries/${entry1}/trail`, {
          token: supervisor,
        })
      ).body.items ?? [];
    const expected = [
      ...entryEvents.filter((e) => e.data.entryId === entry1),
      ...commitmentEvents.filter((e) => e.data.entryId === entry1),
    ];
    await waitFor(async () => (await trail()).length === expected.length, { message: 'the whole trail' });
    const seal = await app.get(TrailSealJob).seal(new Date(now + 1000));
    expect(seal.late).toBe(0);
    const items = await trail();
    expect(items.every((i) => i.sealed)).toBe(true);
    // the canonical order: by time, then the parties' acts before what they cause (a document served), then by event id
    const order = [...expected].sort(
      (x, y) =>
        x.time.localeCompare(y.time) || trailRank(x.type) - trailRank(y.type) || x.id.localeCompare(y.id),
    );
    expect(items.map((i) => i.eventId)).toEqual(order.map((e) => e.id));
    expect(new Set(items.map((i) => i.type))).toEqual(
      new Set([
        EventTypes.listEntryNoticed,
        EventTypes.statementReceived,
        EventTypes.statementAnswered,
        EventTypes.documentIssued,
        EventTypes.listEntryObjectionOpened,
        EventTypes.listEntryObjectionResolved,
        EventTypes.repairSubmitted,
        EventTypes.repairMaterialRequested,
        EventTypes.repairMaterialSupplied,
        EventTypes.repairAccepted,
        EventTypes.repairDecided,
        EventTypes.commitmentRecorded,
        EventTypes.commitmentKept,
      ]),
    );
    const verify = await api<{ valid: boolean; records: number; sealed: number }>(
      'GET',
      `${url}/v1/list-entries/${entry1}/trail/verify`,
      { token: supervisor },
    );
    expect(verify.body).toMatchObject({ valid: true, records: expected.length, sealed: expected.length });
    // a commitment about no entry is in no trail, but counted (above)
    const none = await api('GET', `${url}/v1/list-entries/${commitment2}/trail`, { token: supervisor });
    expect(none.status).toBe(404);
  });

  it('changes nothing when an event is delivered again', async () => {
    const before = await stats(`?dept=${OWNER}`);
    const again = [entryEvents.find((e) => e.data.applicationId === repair2)!, commitmentEvents[1]];
    await app.get(MessageBus).publish([
      { topic: Topics.listEntries, key: subject.id, value: JSON.stringify(again[0]) },
      { topic: Topics.commitments, key: subject.id, value: JSON.stringify(again[1]) },
    ]);
    // markers after the redelivered events, on both topics (same key: same partitions, read in order)
    const notice = event(EventTypes.listEntryNoticed, at(30), {
      ...onEntry(entry3, OTHER),
      channel: 'online',
      noticedAt: at(30),
      statementDeadline: at(35),
    });
    const recorded = event(
      EventTypes.commitmentRecorded,
      at(30),
      { commitmentId: randomUUID(), subject, matter: 'other', recordedByDept: OTHER, recordedAt: at(30) },
      OTHER,
    );
    await app.get(MessageBus).publish([
      { topic: Topics.listEntries, key: subject.id, value: JSON.stringify(notice) },
      { topic: Topics.commitments, key: subject.id, value: JSON.stringify(recorded) },
    ]);
    await waitFor(
      async () => {
        const other = (await stats(`?dept=${OTHER}`)).items[0];
        return other?.notices.noticed === 1 && other.commitments.recorded === 2;
      },
      { message: 'the markers after the redelivery' },
    );
    expect(await stats(`?dept=${OWNER}`)).toEqual(before);
  });
});
