import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { blockMeasure, publishCourtEntry, seedCourtDefaulter } from '../../../../test/support/medium-catalog';
import { waitFor } from '../../../../test/support/infra';
import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { chinaIsoDate } from '@credit/calendar';
import type { CloudEvent } from '@credit/contracts';
import { TRACKING_DB } from '../../../tracking/src/tracking.tokens';
import { TrailHandlers } from '../../../tracking/src/trail/trail.handlers';
import { TrailPartitionsJob } from '../../../tracking/src/trail/trail-partitions.job';
import { CheckSubjectUseCase } from './check-subject.usecase';
import { CheckBatchUseCase } from './check-batch.usecase';

type Answer = {
  checkId: string;
  decision: string;
  reasons: { entryId: string; measureCode: string; dept: string; mode: string }[];
};
type Problem = { code: string };

const LISTED = { kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '杭州某某科技有限公司' };
const UNLISTED = '91350100M000100Y43';
const BID = 'government_procurement_bid';

/**
 * 嵌入式核查 on the in-process bus (CheckSubjectUseCase, CheckBatchUseCase, DecideCheckUseCase,
 * RecordFeedbackUseCase): an
 * entry published in registry reaches enforcement's index; a check answers with its reasons, and what
 * the department did with the hit is recorded once, by that department, as enforcement feedback.
 * (The index's Kafka catch-up and replicas: test/enforcement.)
 */
describe('checks (嵌入式核查): the answer, the decision on a hit and its feedback', () => {
  let platform: MediumPlatform;
  let tokens: Record<'admin' | 'court' | 'finance' | 'ndrc', string>;
  let entryId: string;

  const check = (subjectId: string, token: string, action = BID) =>
    platform.api<Answer & Problem>('POST', '/v1/checks', {
      token,
      body: { subject: { id: subjectId }, action },
    });
  const decide = (checkId: string, token: string, body: Record<string, unknown>) =>
    platform.api<{ assignments: string[] } & Problem>('POST', `/v1/checks/${checkId}/decisions`, {
      token,
      body,
    });

  beforeAll(async () => {
    platform = await startMedium();
    tokens = {
      admin: await platform.token('CREDIT_OFFICE', ['admin']),
      court: await platform.token('COURT', ['initiator']),
      finance: await platform.token('FINANCE', ['implementer']),
      ndrc: await platform.token('NDRC', ['implementer']),
    };
    await seedCourtDefaulter(
      platform,
      tokens.admin,
      ['COURT', 'FINANCE', 'NDRC'],
      [blockMeasure('PROCUREMENT_BAN', 'FINANCE', BID)],
    );
    entryId = await publishCourtEntry(platform, tokens.court, LISTED);
  });
  afterAll(() => platform?.close());

  it('blocks the listed subject with the measure as its reason, and allows another', async () => {
    const blocked = await waitFor(
      async () => {
        const res = await check(LISTED.id, tokens.finance);
        return res.body.decision === 'block' ? res : undefined;
      },
      { message: 'the entry reaches the index' },
    );
    expect(blocked.status).toBe(200);
    expect(blocked.body.reasons).toEqual([
      expect.objectContaining({ entryId, measureCode: 'PROCUREMENT_BAN', dept: 'FINANCE', mode: 'block' }),
    ]);
    const other = await check(UNLISTED, tokens.finance);
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ decision: 'allow', reasons: [] });
    // the use case answers without a promise once the index holds the subject (decision 0014)
    const known = platform
      .get(CheckSubjectUseCase)
      .execute({ sub: 'finance-user', dept: 'FINANCE', roles: ['implementer'] }, LISTED.id, BID);
    expect(known).not.toBeInstanceOf(Promise);
    expect(await known).toMatchObject({ decision: 'block' });
  });

  it('checks a batch, each subject answering as a single check would, at one instant', async () => {
    await waitFor(
      async () => ((await check(LISTED.id, tokens.finance)).body.decision === 'block' ? true : undefined),
      {
        message: 'the entry reaches the index',
      },
    );
    const res = await platform.api<{ items: Answer[]; nextCursor: null }>('POST', '/v1/checks/batch', {
      token: tokens.finance,
      body: { subjects: [{ id: LISTED.id }, { id: UNLISTED }], action: BID },
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((a) => a.decision)).toEqual(['block', 'allow']);
    expect(res.body.nextCursor).toBeNull();
    const finance = { sub: 'finance-user', dept: 'FINANCE', roles: ['implementer' as const] };
    const direct = await platform
      .get(CheckBatchUseCase)
      .execute(finance, { subjects: [{ id: UNLISTED }, { id: LISTED.id }], action: BID });
    expect(direct.map((a) => [a.decision, a.reasons.length])).toEqual([
      ['allow', 0],
      ['block', 1],
    ]);
  });

  it('records an applied hit as enforcement feedback, once and by the checking department only', async () => {
    const answer = (await check(LISTED.id, tokens.finance)).body;
    expect((await decide(answer.checkId, tokens.ndrc, { outcome: 'applied' })).body.code).toBe(
      'CHECK.OTHER_DEPARTMENT',
    );
    const decided = await decide(answer.checkId, tokens.finance, { outcome: 'applied' });
    expect(decided.status).toBe(201);
    expect(decided.body.assignments).toHaveLength(1);
    const [assignment] = await platform.sql<{ status: string }>(
      `SELECT status FROM enforcement.assignments WHERE id = $1`,
      [decided.body.assignments[0]],
    );
    expect(assignment.status).toBe('enforced'); // acknowledged first, then enforced (RecordFeedbackUseCase)
    const again = await decide(answer.checkId, tokens.finance, { outcome: 'applied' });
    expect([again.status, again.body.code]).toEqual([409, 'CHECK.ALREADY_DECIDED']);
  });

  it("keeps every hit for reconciliation and the day's first of each department and action in the trail", async () => {
    for (let i = 0; i < 3; i++) expect((await check(LISTED.id, tokens.finance)).body.decision).toBe('block');
    const hitsIn = async (where: 'checks' | 'trail') => {
      const [{ n }] =
        where === 'checks'
          ? await platform.sql<{ n: number }>(
              `SELECT count(*)::int AS n FROM tracking.check_hits WHERE entry_id = $1`,
              [entryId],
            )
          : await platform.sql<{ n: number }>(
              `SELECT count(*)::int AS n FROM tracking.trail_records WHERE entry_id = $1 AND type = $2`,
              [entryId, 'credit.check.hit.v1'],
            );
      return n;
    };
    const logged = async () => {
      const [{ n }] = await platform.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM enforcement.checks WHERE subject_id = $1 AND decision <> 'allow'`,
        [LISTED.id],
      );
      return n;
    };
    // every hit logged so far (this case's and the cases' before it) reaches reconciliation
    const allHeard = (atLeast: number) =>
      waitFor(
        async () => {
          const [inLog, inTracking] = [await logged(), await hitsIn('checks')];
          return inLog >= atLeast && inLog === inTracking ? inLog : undefined;
        },
        { message: 'every hit reaches tracking' },
      );
    const hits = await allHeard(3);
    const trail = () =>
      platform.sql<{ dept: string; action: string; decision: string }>(
        `SELECT data->>'dept' AS dept, data->>'action' AS action, data->>'decision' AS decision
         FROM tracking.trail_records WHERE entry_id = $1 AND type = $2 ORDER BY dept`,
        [entryId, 'credit.check.hit.v1'],
      );
    expect(hits).toBeGreaterThanOrEqual(3);
    expect(await trail()).toEqual([{ dept: 'FINANCE', action: BID, decision: 'block' }]);

    // a day on, FINANCE's first hit of the day is in the trail again
    await platform.sql(`UPDATE tracking.trail_hit_days SET day = day - 1 WHERE entry_id = $1`, [entryId]);
    await check(LISTED.id, tokens.finance);
    await check(LISTED.id, tokens.finance);
    await allHeard(hits + 2);
    expect(await hitsIn('trail')).toBe(2);

    // a hit handled on its own (a run's retry) takes the same path: today's key is taken, a new one is not
    const single = async (decision: string) => {
      const db = platform.get(TRACKING_DB as unknown as Type<DataSource>);
      const time = new Date().toISOString();
      const checkId = randomUUID();
      const event = {
        id: randomUUID(),
        type: 'credit.check.hit.v1',
        time,
        data: {
          checkId,
          entryId,
          dept: 'FINANCE',
          actor: 'finance-user',
          subjectId: LISTED.id,
          action: BID,
          decision,
          assignments: [],
          at: time,
        },
      } as unknown as CloudEvent<unknown>;
      const record = {
        topic: 'credit.checks',
        partition: 0,
        offset: '0',
        key: null,
        value: null,
        headers: {},
      };
      await db.transaction((manager) =>
        platform.get(TrailHandlers).append(event, { manager, record, onCommitted: () => undefined }),
      );
      return checkId;
    };
    const singles = [await single('block')];
    expect(await hitsIn('trail')).toBe(2);
    singles.push(await single('warn'));
    expect(await hitsIn('trail')).toBe(3);
    // both reach reconciliation all the same
    const reconciled = await platform.sql(
      `SELECT check_id FROM tracking.check_hits WHERE check_id = ANY($1::uuid[])`,
      [singles],
    );
    expect(reconciled).toHaveLength(2);

    // the trail's partition pass forgets the days a week old; yesterday's and today's stay
    const today = chinaIsoDate(new Date());
    await platform.sql(`UPDATE tracking.trail_hit_days SET day = day - 7 WHERE day < $1::date`, [today]);
    await platform.get(TrailPartitionsJob).run();
    const days = await platform.sql<{ day: string; decision: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, decision FROM tracking.trail_hit_days
       WHERE entry_id = $1 ORDER BY decision`,
      [entryId],
    );
    expect(days).toEqual([
      { day: today, decision: 'block' },
      { day: today, decision: 'warn' },
    ]);
  });

  it('refuses a decision on a check that hit nothing of the department, or on no check', async () => {
    const miss = (await check(UNLISTED, tokens.finance)).body;
    const nothing = await decide(miss.checkId, tokens.finance, { outcome: 'not_applied', reason: '未命中' });
    expect([nothing.status, nothing.body.code]).toEqual([409, 'CHECK.NOTHING_TO_DECIDE']);
    const unknown = await decide('00000000-0000-4000-8000-000000000000', tokens.finance, {
      outcome: 'applied',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'CHECK.NOT_FOUND']);
  });
});
