import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { loadBundledCalendar } from '@credit/calendar';
import { AssignmentIssuedV1, AssignmentPausedV1, EventTypes, Topics } from '@credit/contracts';
import { createCloudEvent } from '@credit/messaging';
import { OverdueFollowUpJob } from '../../apps/tracking/src/follow-up/overdue-follow-up.job';
import { DECISION, entry, uscc } from '../registry/registry-fixtures';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { createKafkaBus, waitFor } from '../support/infra';
import { api, startPlatform, TestPlatform } from '../support/services';

type Row = {
  suspended: boolean;
  suspendedAt: Date | null;
  suspendedWorkingDays: number;
  ackDeadline: Date;
  feedbackDeadline: Date;
  overdue: boolean;
};

/**
 * Issue 6 (2): while an objection suspends an assignment its deadlines stop — nothing is marked overdue —
 * and on resumption they move back by the working days it was suspended (holidays do not count).
 */
describe('tracking: deadlines pause while an assignment is suspended', () => {
  const calendar = loadBundledCalendar();
  let platform: TestPlatform;
  let db: Client;
  let job: OverdueFollowUpJob;
  const t: Record<string, string> = {};

  const rowOf = async (id: string): Promise<Row | undefined> =>
    (
      await db.query(
        `SELECT suspended, suspended_at AS "suspendedAt", suspended_working_days AS "suspendedWorkingDays",
           ack_deadline AS "ackDeadline", feedback_deadline AS "feedbackDeadline", overdue
         FROM tracking.follow_up_assignments WHERE id = $1 AND issued`,
        [id],
      )
    ).rows[0];
  const waitRow = (id: string, test: (r: Row) => boolean, message: string) =>
    waitFor(
      async () => {
        const r = await rowOf(id);
        return r && test(r) ? r : undefined;
      },
      { message },
    );

  beforeAll(async () => {
    platform = await startPlatform();
    db = new Client({ connectionString: platform.databaseUrl });
    await db.connect();
    job = platform.app.tracking.get(OverdueFollowUpJob);
    t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
    t.court = await platform.token('COURT', ['initiator']);
    await seedCatalog(platform, t.admin, {
      listType: { suspendOnObjection: true },
      measures: [measureBody('PROCUREMENT_BAN', 'FINANCE')],
    });
  }, 30_000);

  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it('follows an objection through the services: suspended, never marked, resumed', async () => {
    const entryId = await entry(
      { url: platform.url.registry },
      t.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: uscc('PAUHE001'), name: '某某公司' },
        decision: DECISION,
      },
      ['notice', 'publish'],
    );
    const { id } = await waitFor(
      async () =>
        (
          await db.query(`SELECT id FROM tracking.follow_up_assignments WHERE entry_id = $1 AND issued`, [
            entryId,
          ])
        ).rows[0] as { id: string } | undefined,
      { message: 'the assignment tracked' },
    );
    const before = (await rowOf(id))!;
    const objection = await api<{ id: string }>(
      'POST',
      `${platform.url.registry}/v1/list-entries/${entryId}/objections`,
      { token: t.court, body: { reason: '已履行完毕' } },
    );
    expect(objection.status).toBe(201);
    await waitRow(id, (r) => r.suspended, 'the assignment suspended');
    // long past every deadline, but suspended: nothing is marked
    expect(
      (await job.markOverdue(new Date(before.feedbackDeadline.getTime() + 30 * 86_400_000))).marks,
    ).toEqual([]);
    const resolved = await api(
      'POST',
      `${platform.url.registry}/v1/objections/${objection.body.id}/resolve`,
      {
        token: t.court,
        body: { outcome: 'upheld', note: '维持' },
      },
    );
    expect(resolved.status).toBe(200);
    const after = await waitRow(id, (r) => !r.suspended, 'the assignment resumed');
    // suspended for seconds, within one day: no working day to give back
    expect(after).toMatchObject({ suspendedAt: null, suspendedWorkingDays: 0, overdue: false });
    expect(after.ackDeadline).toEqual(before.ackDeadline);
  });

  it('gives back the working days of a suspension across the National Day week', async () => {
    // events at past dates stand for trigger's, written to the real topic as trigger writes them
    const assignmentId = randomUUID();
    const entryId = randomUUID();
    const subject = { kind: 'legal_person' as const, id: uscc('PAUHE002'), name: '某某公司' };
    const issuedAt = new Date('2026-09-28T02:00:00Z'); // Monday 10:00 Beijing
    const issued: AssignmentIssuedV1 = {
      assignmentId,
      entryId,
      dept: 'FINANCE',
      measure: {
        code: 'PROCUREMENT_BAN',
        version: 1,
        memorandumCode: 'MOU-TEST',
        text: 'x',
        kind: 'punishment',
        mode: 'block',
        actions: ['government_procurement_bid'],
        legalBasis: 'b',
        feedbackWorkingDays: 5,
      },
      listType: { code: 'COURT_DEFAULTER', colour: 'black' },
      subject,
      target: { id: subject.id, kind: 'legal_person' },
      period: { from: issuedAt.toISOString(), to: '2028-09-28T02:00:00.000Z' },
      issuedAt: issuedAt.toISOString(),
      feedbackDeadline: calendar.addWorkingDays(issuedAt, 5).toISOString(),
    };
    const paused = (at: string): AssignmentPausedV1 => ({
      assignmentId,
      entryId,
      dept: 'FINANCE',
      reason: 'objection',
      at,
    });
    const publish = async (type: string, data: unknown, time: string) => {
      const bus = createKafkaBus(platform.topicPrefix, 'test-trigger');
      try {
        const event = createCloudEvent({
          type,
          source: '/credit/trigger',
          subject: entryId,
          data,
          time: new Date(time),
        });
        await bus.publish([{ topic: Topics.assignments, key: subject.id, value: JSON.stringify(event) }]);
      } finally {
        await bus.close();
      }
    };
    await publish(EventTypes.assignmentIssued, issued, issuedAt.toISOString());
    const row = await waitRow(assignmentId, () => true, 'the assignment tracked');
    expect(row.ackDeadline.toISOString()).toBe('2026-09-30T02:00:00.000Z'); // 09-29, 09-30

    // suspended on Tuesday 09-29 before the deadline; the deadline passes while suspended
    await publish(EventTypes.assignmentSuspended, paused('2026-09-29T02:00:00.000Z'), '2026-09-29T02:00:00Z');
    await waitRow(assignmentId, (r) => r.suspended, 'suspended');
    expect((await job.markOverdue(new Date('2026-10-08T04:00:00Z'))).marks).toEqual([]);

    // resumed on Friday 10-09: 09-30, 10-08 and 10-09 were working days suspended (10-01..07 are holidays)
    await publish(EventTypes.assignmentResumed, paused('2026-10-09T02:00:00.000Z'), '2026-10-09T02:00:00Z');
    const resumed = await waitRow(assignmentId, (r) => !r.suspended, 'resumed');
    expect(resumed.suspendedWorkingDays).toBe(3);
    // three working days after 09-30: 10-08, 10-09, Saturday 10-10 (调休上班)
    expect(resumed.ackDeadline.toISOString()).toBe('2026-10-10T02:00:00.000Z');
    expect(resumed.feedbackDeadline).toEqual(calendar.addWorkingDays(new Date(issued.feedbackDeadline), 3));
    expect((await job.markOverdue(new Date('2026-10-10T01:59:00Z'))).marks).toEqual([]);
    expect(
      (await job.markOverdue(new Date('2026-10-10T02:01:00Z'))).marks.map((m) => `${m.kind}:${m.level}`),
    ).toEqual(['acknowledgement:1']);
    const overdue = await api<{ items: { id: string; deadline: string }[] }>(
      'GET',
      `${platform.url.tracking}/v1/overdue?dept=FINANCE`,
      { token: await platform.token('CREDIT_OFFICE', ['supervisor']) },
    );
    expect(overdue.body.items).toEqual([
      expect.objectContaining({ id: assignmentId, deadline: '2026-10-10T02:00:00.000Z' }),
    ]);
  });
});
