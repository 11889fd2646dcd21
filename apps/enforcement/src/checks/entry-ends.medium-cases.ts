import { DataSource } from 'typeorm';
import { CloudEvent, EventTypes, keyHash, ListEntryEndedV1 } from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { MediumPlatform, startMedium } from '../../../../test/support/medium';
import { DECISION, idNumber, uscc } from '../../../../test/support/medium-registry';
import {
  blockMeasure,
  mediumRoutes,
  publishCourtEntry,
  seedCourtDefaulter,
} from '../../../../test/support/medium-catalog';
import { seedCourtCatalog } from '../../../../test/support/catalog-seed';
import { waitFor } from '../../../../test/support/infra';
import { TRIGGER_MESSAGING } from '../../../trigger/src/trigger.tokens';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { ASSIGNMENT_TABLE_PARTITIONS } from './active-measures/table-partitions';
import { EntryEndsHandlers } from './entry-ends.handlers';

type Answer = { decision: string; reasons: { entryId: string }[] };
type Row = { status: string; entry_ended_at: Date | null };

const BID = 'government_procurement_bid';

/**
 * Decision 0063: enforcement hears an entry's end from registry itself, so the check answers allow
 * without waiting for trigger's lifts — even while trigger is stopped; trigger's lifts, when they come,
 * move the assignments' lifecycle as before and change nothing the check answers; a replayed end changes
 * nothing; an assignment issued after its entry's end was heard never binds.
 */
describe('an entry’s end reaches the check before trigger’s lifts (decision 0063)', () => {
  let platform: MediumPlatform;
  let trigger: ServiceMessaging;
  let tokens: Record<'admin' | 'court' | 'finance' | 'financeSystem', string>;

  const check = async (id: string) =>
    (
      await platform.api<Answer>('POST', '/v1/checks', {
        token: tokens.financeSystem,
        body: { subject: { id }, action: BID },
      })
    ).body;
  const end = async (entryId: string) =>
    expect(
      (
        await platform.api('POST', `/v1/list-entries/${entryId}/end`, {
          token: tokens.court,
          body: { reason: 'repaired', note: '已履行' },
        })
      ).status,
    ).toBe(200);
  /** COURT lists, notices and publishes an entry on `listType`; its id. */
  const publishEntry = async (
    listType: string,
    subject: Record<string, unknown>,
    relatedPersons: Record<string, unknown>[] = [],
  ) => {
    const created = await platform.api<{ id: string }>('POST', '/v1/list-entries', {
      token: tokens.court,
      body: { listType, subject, relatedPersons, decision: DECISION },
    });
    expect(created.status).toBe(201);
    for (const step of ['notice', 'publish'])
      expect(
        (await platform.api('POST', `/v1/list-entries/${created.body.id}/${step}`, { token: tokens.court }))
          .status,
      ).toBe(200);
    return created.body.id;
  };
  const enforcementRows = (entryId: string) =>
    platform.sql<Row>(`SELECT status, entry_ended_at FROM enforcement.assignments WHERE entry_id = $1`, [
      entryId,
    ]);
  const triggerStatuses = async (entryId: string) =>
    (
      await platform.sql<{ status: string }>(`SELECT status FROM trigger.assignments WHERE entry_id = $1`, [
        entryId,
      ])
    ).map((r) => r.status);

  beforeAll(async () => {
    platform = await startMedium();
    trigger = platform.app.get<ServiceMessaging>(TRIGGER_MESSAGING);
    tokens = {
      admin: await platform.token('CREDIT_OFFICE', ['admin']),
      court: await platform.token('COURT', ['initiator']),
      finance: await platform.token('FINANCE', ['implementer']),
      financeSystem: await platform.token('FINANCE', ['system']),
    };
    await seedCourtDefaulter(
      platform,
      tokens.admin,
      ['COURT', 'FINANCE'],
      [blockMeasure('BAN', 'FINANCE', BID)],
    );
  });
  afterAll(() => platform?.close());

  it('stores an issued assignment in its target’s table partition, and lifts it there (decision 0080)', async () => {
    const id = uscc('MAPART01');
    const entryId = await publishCourtEntry(platform, tokens.court, { kind: 'legal_person', id, name: 'x' });
    await waitFor(async () => (await check(id)).decision === 'block', { message: 'the entry binds' });
    const where = () =>
      platform.sql<{ part: string; key_partition: number; status: string }>(
        `SELECT tableoid::regclass::text AS part, key_partition, status FROM enforcement.assignments
         WHERE entry_id = $1`,
        [entryId],
      );
    const partition = keyHash(id) % ASSIGNMENT_TABLE_PARTITIONS;
    const [stored] = await where();
    expect(stored.key_partition).toBe(partition);
    expect(stored.part).toMatch(new RegExp(`assignments_k${String(partition).padStart(2, '0')}$`));
    await end(entryId);
    await waitFor(async () => (await where())[0]?.status === 'lifted', { message: 'the lift' });
    expect(await where()).toEqual([{ ...stored, status: 'lifted' }]);
  });

  it('answers allow after the end while trigger is stopped; trigger’s later lifts change nothing', async () => {
    const id = uscc('MAEND001');
    const entryId = await publishCourtEntry(platform, tokens.court, { kind: 'legal_person', id, name: 'x' });
    await waitFor(async () => (await check(id)).decision === 'block', { message: 'the entry binds' });

    await trigger.stop();
    await end(entryId);
    await waitFor(async () => (await check(id)).decision === 'allow', {
      message: 'the check allows with trigger stopped',
    });
    // the lifecycle is trigger's: nothing was lifted yet, the department's inbox still has it in force
    expect(await triggerStatuses(entryId)).toEqual(['issued']);
    const [marked] = await enforcementRows(entryId);
    expect(marked.status).toBe('issued');
    expect(marked.entry_ended_at).not.toBeNull();

    await trigger.start();
    await waitFor(async () => (await enforcementRows(entryId))[0].status === 'lifted', {
      message: 'trigger’s lift reaches the department',
    });
    expect(await triggerStatuses(entryId)).toEqual(['lifted']);
    expect((await enforcementRows(entryId))[0].entry_ended_at).toEqual(marked.entry_ended_at);
    expect(await check(id)).toMatchObject({ decision: 'allow', reasons: [] });
    // and the department confirms the lift, as before
    const [{ id: assignmentId }] = await platform.sql<{ id: string }>(
      `SELECT id FROM enforcement.assignments WHERE entry_id = $1`,
      [entryId],
    );
    const confirmed = await platform.api('POST', `/v1/assignments/${assignmentId}/lift-confirmation`, {
      token: tokens.finance,
    });
    expect(confirmed.status).toBe(200);
  });

  it('a replayed end changes nothing and announces nothing', async () => {
    const id = uscc('MAEND002');
    const entryId = await publishCourtEntry(platform, tokens.court, { kind: 'legal_person', id, name: 'y' });
    await waitFor(async () => (await check(id)).decision === 'block', { message: 'the entry binds' });
    await end(entryId);
    await waitFor(async () => (await check(id)).decision === 'allow', { message: 'the check allows' });
    const before = await enforcementRows(entryId);

    const [{ payload }] = await platform.sql<{ payload: CloudEvent<ListEntryEndedV1> }>(
      `SELECT payload FROM registry.message_published WHERE event_type = 'credit.list-entry.ended.v1'
         AND payload->'data'->>'entryId' = $1`,
      [entryId],
    );
    let announced = 0;
    await platform.app
      .get<DataSource>(ENFORCEMENT_DB)
      .transaction((manager) =>
        platform
          .get(EntryEndsHandlers)
          .onEnded(payload, { manager, record: undefined as never, onCommitted: () => (announced += 1) }),
      );
    expect(announced).toBe(0);
    expect(await enforcementRows(entryId)).toEqual(before);
    expect((await check(id)).decision).toBe('allow');
  });

  it('an assignment issued after its entry’s end was heard never binds', async () => {
    const id = uscc('MAEND003');
    await trigger.stop();
    const entryId = await publishCourtEntry(platform, tokens.court, { kind: 'legal_person', id, name: 'z' });
    await end(entryId);
    await waitFor(
      async () =>
        (await platform.sql(`SELECT 1 FROM enforcement.ended_entries WHERE entry_id = $1`, [entryId]))
          .length === 1,
      { message: 'enforcement heard the end' },
    );
    expect(await enforcementRows(entryId)).toEqual([]); // trigger issued nothing yet
    await trigger.start();
    await waitFor(async () => (await enforcementRows(entryId)).length === 1, {
      message: 'trigger issues, then lifts',
    });
    // marked as it was inserted: it bound at no moment
    expect((await enforcementRows(entryId))[0].entry_ended_at).not.toBeNull();
    expect((await check(id)).decision).toBe('allow');
  });

  it('drops only the ended entry from memory; a later entry binds; replayed ends drop nothing more (0067)', async () => {
    const id = uscc('MAEND004');
    const subject = { kind: 'legal_person', id, name: 'w' };
    // a second list binding FINANCE's bid as well: two entries of one subject in force at once
    await seedCourtCatalog(mediumRoutes(platform), tokens.admin, {
      departments: [],
      listType: { code: 'COURT_DEFAULTER_B', name: '失信被执行人名单（乙）' },
      memorandum: { code: 'MOU-0067', title: 't', documentNo: 'd-0067' },
      measures: [blockMeasure('BAN_B', 'FINANCE', BID)],
    });
    const binding = async () => [...new Set((await check(id)).reasons.map((r) => r.entryId))].sort();
    const first = await publishCourtEntry(platform, tokens.court, subject);
    const other = await publishEntry('COURT_DEFAULTER_B', subject);
    await waitFor(async () => (await binding()).length === 2, { message: 'both entries bind' });

    await end(first);
    await waitFor(async () => (await binding()).join() === other, { message: 'the first no longer binds' });
    expect((await check(id)).decision).toBe('block');
    await end(other);
    await waitFor(async () => (await check(id)).decision === 'allow', { message: 'nothing binds' });
    const again = await publishCourtEntry(platform, tokens.court, subject); // listed again
    await waitFor(async () => (await binding()).join() === again, { message: 'the later entry binds' });

    // both ends again, as a redelivery is handled: heard (dropped from memory), then applied
    const ends = await platform.sql<{ payload: CloudEvent<ListEntryEndedV1> }>(
      `SELECT payload FROM registry.message_published WHERE event_type = 'credit.list-entry.ended.v1'
         AND payload->'data'->>'entryId' = ANY($1)`,
      [[first, other]],
    );
    expect(ends).toHaveLength(2);
    const handlers = platform.get(EntryEndsHandlers);
    for (const { payload } of ends) {
      handlers.onHeard(payload);
      await platform.app
        .get<DataSource>(ENFORCEMENT_DB)
        .transaction((manager) =>
          handlers.onEnded(payload, { manager, record: undefined as never, onCommitted: (fn) => fn() }),
        );
    }
    expect(await binding()).toEqual([again]);
    expect((await check(id)).decision).toBe('block');
  });

  it("a company's end heard: its legal representative's check allows at once, before it is written (0067)", async () => {
    const id = uscc('MAEND005');
    const company = { kind: 'legal_person', id, name: 'v' };
    const rep = {
      role: 'legal_representative',
      kind: 'individual',
      id: idNumber('19800101', '005'),
      name: '代表',
    };
    // a list whose measures reach the company, and (instead of it) its legal representative
    await seedCourtCatalog(mediumRoutes(platform), tokens.admin, {
      departments: [],
      listType: { code: 'COURT_DEFAULTER_R', name: '失信被执行人名单（丙）' },
      memorandum: { code: 'MOU-0067-R', title: 't', documentNo: 'd-0067-r' },
      measures: [
        blockMeasure('BAN_CO', 'FINANCE', BID),
        { ...blockMeasure('BAN_REP', 'FINANCE', BID), relatedRoles: ['legal_representative'] },
      ],
    });
    const entryId = await publishEntry('COURT_DEFAULTER_R', company, [rep]);
    await waitFor(
      async () => (await check(id)).decision === 'block' && (await check(rep.id)).decision === 'block',
      { message: 'the entry binds the company and its legal representative' },
    );

    // heard as enforcement's consumer hears the end: the event names the company only; nothing written yet
    platform.get(EntryEndsHandlers).onHeard(
      createCloudEvent<ListEntryEndedV1>({
        type: EventTypes.listEntryEnded,
        source: 'registry',
        subject: id,
        data: {
          entryId,
          listType: { code: 'COURT_DEFAULTER_R', colour: 'black' },
          ownerDept: 'COURT',
          subject: company as ListEntryEndedV1['subject'],
          reason: 'repaired',
          endedAt: new Date().toISOString(),
        },
      }),
    );
    expect((await check(rep.id)).decision).toBe('allow');
    expect((await check(id)).decision).toBe('allow');
    expect((await enforcementRows(entryId)).every((r) => r.entry_ended_at === null)).toBe(true);

    // the end itself, heard and written: both stay allowed
    await end(entryId);
    await waitFor(async () => (await enforcementRows(entryId)).every((r) => r.entry_ended_at !== null), {
      message: 'the end written',
    });
    expect(await enforcementRows(entryId)).toHaveLength(2);
    // marked in the table partitions the entry's rows are in, each target's own (decision 0080)
    const held = await platform.sql<{ key_partition: number }>(
      `SELECT key_partition FROM enforcement.entry_partitions WHERE entry_id = $1 ORDER BY 1`,
      [entryId],
    );
    expect(held.map((p) => p.key_partition)).toEqual(
      [...new Set([id, rep.id].map((k) => keyHash(k) % ASSIGNMENT_TABLE_PARTITIONS))].sort((a, b) => a - b),
    );
    expect((await check(rep.id)).decision).toBe('allow');
    expect((await check(id)).decision).toBe('allow');
  });
});
