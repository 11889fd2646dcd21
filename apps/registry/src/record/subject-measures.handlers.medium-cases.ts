import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AssignmentIssuedV1, CloudEvent, EventTypes, Topics } from '@credit/contracts';
import { createCloudEvent, MessageBus, OutgoingRecord } from '@credit/messaging';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { REGISTRY_DB } from '../registry.tokens';
import { SubjectMeasuresHandlers } from './subject-measures.handlers';

/**
 * Registry's copy of the measures in force (GET /v1/me/record): a burst of issued assignments is stored
 * by one statement, with the same rows the one-at-a-time handler stores (a batch that fails is retried
 * record by record), and an assignment delivered twice is stored once.
 */
describe('the measures in force for the record: issued one by one or as a run', () => {
  let platform: MediumPlatform;
  let handlers: SubjectMeasuresHandlers;
  let db: DataSource;

  beforeAll(async () => {
    platform = await startMedium({ services: ['registry'] });
    handlers = platform.get(SubjectMeasuresHandlers);
    db = platform.app.get<DataSource>(REGISTRY_DB);
  });
  afterAll(() => platform?.close());

  const issued = (entryId: string, n: number, role?: string): CloudEvent<AssignmentIssuedV1> =>
    ({
      id: randomUUID(),
      type: 'credit.assignment.issued.v1',
      data: {
        assignmentId: randomUUID(),
        entryId,
        dept: n % 2 ? 'TAX' : 'MARKET',
        measure: { code: `M${n}`, text: `措施 ${n}`, mode: 'block', legalBasis: '《条例》第十条' },
        target: { id: '91330100MA2B000001', ...(role ? { role } : {}) },
        period: { from: '2026-01-01T00:00:00.000Z', to: '2028-01-01T00:00:00.000Z' },
        issuedAt: `2026-01-0${(n % 9) + 1}T08:00:00.000Z`,
      },
    }) as unknown as CloudEvent<AssignmentIssuedV1>;

  const rows = (entryId: string) =>
    platform.sql<Record<string, unknown>>(
      `SELECT dept, measure_code, measure_text, mode, legal_basis, target_id, target_role, until, issued_at,
              suspended
         FROM registry.subject_measures WHERE entry_id = $1 ORDER BY measure_code`,
      [entryId],
    );

  it('stores a run of issued assignments as the single handler stores each, and a repeat once', async () => {
    const [one, many] = [randomUUID(), randomUUID()];
    const events = (entryId: string) =>
      [1, 2, 3].map((n) => issued(entryId, n, n === 3 ? 'legal_rep' : undefined));
    const singly = events(one);
    const together = events(many);
    await db.transaction(async (manager) => {
      for (const event of singly) await handlers.issued(event, manager);
      await handlers.issuedMany([...together, together[0]], manager);
      await handlers.issuedMany([together[1]], manager);
    });
    const stored = await rows(many);
    expect(stored).toHaveLength(3);
    expect(stored).toEqual(await rows(one));
    expect(stored[2]).toMatchObject({ measure_code: 'M3', target_role: 'legal_rep', suspended: false });
    expect(new Date(stored[0].until as string).toISOString()).toBe('2028-01-01T00:00:00.000Z');
  });

  it('keeps each row the texts of its own measure when a run shares measures across entries', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const run = [...[1, 2].map((n) => issued(first, n)), ...[1, 2].map((n) => issued(second, n))];
    // the same code under another text (a snapshot the run must not take from its neighbour)
    run[3].data.measure = { ...run[3].data.measure, text: '措施 2（修订）', legalBasis: '《条例》第十一条' };
    await db.transaction((manager) => handlers.issuedMany(run, manager));
    expect(await rows(first)).toEqual([
      expect.objectContaining({ measure_code: 'M1', measure_text: '措施 1', legal_basis: '《条例》第十条' }),
      expect.objectContaining({ measure_code: 'M2', measure_text: '措施 2', legal_basis: '《条例》第十条' }),
    ]);
    expect(await rows(second)).toEqual([
      expect.objectContaining({ measure_code: 'M1', measure_text: '措施 1' }),
      expect.objectContaining({
        measure_code: 'M2',
        measure_text: '措施 2（修订）',
        legal_basis: '《条例》第十一条',
      }),
    ]);
  });
});

/**
 * Without an inbox (decision 0068): the consumer's events, delivered again in order (a redelivery after
 * a crash, a relay's pass sent twice), leave the record as delivering them once did.
 */
describe('the measures in force for the record: redelivered in order, without an inbox', () => {
  let platform: MediumPlatform;
  let bus: MessageBus;

  beforeAll(async () => {
    platform = await startMedium({ services: ['registry'] });
    bus = platform.app.get(MessageBus);
  });
  afterAll(() => platform?.close());

  const subjectId = '91330106MA2B00001X';
  const entryId = randomUUID();
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  const record = (type: string, data: object): OutgoingRecord => ({
    topic: Topics.assignments,
    key: subjectId,
    value: JSON.stringify(createCloudEvent({ type, source: 'trigger', subject: entryId, data })),
    headers: { 'event-type': type },
  });
  const issued = (assignmentId: string, n: number) =>
    record(EventTypes.assignmentIssued, {
      assignmentId,
      entryId,
      dept: 'TAX',
      measure: {
        code: `M${n}`,
        version: 1,
        memorandumCode: 'MEMO',
        text: `措施 ${n}`,
        kind: 'punishment',
        mode: 'block',
        actions: ['deny'],
        legalBasis: '《条例》第十条',
        feedbackWorkingDays: 5,
      },
      listType: { code: 'COURT_DEFAULTER', colour: 'black' },
      subject: { kind: 'legal_person', id: subjectId },
      target: { id: subjectId, kind: 'legal_person' },
      period: { from: '2026-01-01T00:00:00.000Z', to: '2099-01-01T00:00:00.000Z' },
      issuedAt: '2026-01-01T08:00:00.000Z',
      feedbackDeadline: '2026-01-08T08:00:00.000Z',
    });
  const paused = (type: string, assignmentId: string) =>
    record(type, {
      assignmentId,
      entryId,
      dept: 'TAX',
      reason: 'objection open',
      at: new Date().toISOString(),
    });
  const lifted = (assignmentId: string) =>
    record(EventTypes.assignmentLifted, {
      assignmentId,
      entryId,
      dept: 'TAX',
      target: { id: subjectId, kind: 'legal_person' },
      reason: 'ended',
      liftedAt: new Date().toISOString(),
    });

  /** the record's rows once the last event sent (a marker assignment issued last) is applied */
  async function stateAfter(records: OutgoingRecord[]) {
    const marker = randomUUID();
    await bus.publish([...records, issued(marker, 9)]);
    for (let i = 0; i < 200; i += 1) {
      const [seen] = await platform.sql('SELECT 1 FROM registry.subject_measures WHERE assignment_id = $1', [
        marker,
      ]);
      if (seen) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await platform.sql('DELETE FROM registry.subject_measures WHERE assignment_id = $1', [marker]);
    return platform.sql<{ measure_code: string; suspended: boolean }>(
      `SELECT measure_code, suspended FROM registry.subject_measures WHERE entry_id = $1 ORDER BY measure_code`,
      [entryId],
    );
  }

  it('ends where applying each event once ended, and writes no inbox rows', async () => {
    const events = [
      issued(ids[0], 1),
      issued(ids[1], 2),
      issued(ids[2], 3),
      paused(EventTypes.assignmentSuspended, ids[1]),
      lifted(ids[2]),
    ];
    const once = await stateAfter(events);
    expect(once).toEqual([
      { measure_code: 'M1', suspended: false },
      { measure_code: 'M2', suspended: true },
    ]);
    // the same events again, then a resumption: the lifted one stays lifted, the pause is undone once
    expect(await stateAfter(events)).toEqual(once);
    expect(await stateAfter([...events, paused(EventTypes.assignmentResumed, ids[1])])).toEqual([
      { measure_code: 'M1', suspended: false },
      { measure_code: 'M2', suspended: false },
    ]);
    expect(
      await platform.sql(`SELECT 1 FROM registry.message_inbox WHERE consumer = 'registry.subject-measures'`),
    ).toEqual([]);
  });
});
