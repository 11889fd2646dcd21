import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CloudEvent, EventTypes, InfoClass, Topics } from '@credit/contracts';
import { createCloudEvent, MessageBus } from '@credit/messaging';
import { idNumber, uscc } from '../registry/registry-fixtures';
import { measureBody } from '../support/catalog-fixtures';
import { waitFor } from '../support/infra';
import { api, startPlatform, TestPlatform } from '../support/services';
import { ListTypeAccess as RegistryListTypeAccess } from '../../apps/registry/src/list-types/list-type-access';
import { ListTypeAccess as TriggerListTypeAccess } from '../../apps/trigger/src/list-types/list-type-access';

type Row = Record<string, unknown>;

/**
 * Information class C fails closed (decision 0023): a class-C list type's measures of other departments
 * never reach them; a list type whose class trigger does not know counts as C until the registry
 * announces it; learning C lifts what another department holds, learning A/B issues what was withheld —
 * in a background job that isolates each entry. The lift job of a retired measure isolates entries too.
 */
describe('trigger: list types’ classes, announced by the registry', () => {
  let platform: TestPlatform;
  let pg: Client;
  const t: Record<string, string> = {};

  const query = async <T extends Row>(sql: string, params: unknown[] = []) =>
    (await pg.query<T>(sql, params)).rows;

  const publish = (topic: string, events: CloudEvent[], key: string) =>
    platform.app.registry
      .get(MessageBus)
      .publish(events.map((e) => ({ topic, key, value: JSON.stringify(e) })));

  const announce = (code: string, infoClass: InfoClass, at: Date) =>
    publish(
      Topics.listEntries,
      [
        createCloudEvent({
          type: EventTypes.listTypeAnnounced,
          source: '/credit/registry',
          subject: code,
          data: { code, ownerDept: 'COURT', infoClass, at: at.toISOString() },
        }),
      ],
      code,
    );

  /** A published entry as an older registry sent it: `infoClass` only when given. */
  const published = (listType: string, subjectId: string, infoClass?: InfoClass) => {
    const entryId = randomUUID();
    const now = Date.now();
    return {
      entryId,
      event: createCloudEvent({
        type: EventTypes.listEntryPublished,
        source: '/credit/registry',
        subject: entryId,
        actorDept: 'COURT',
        data: {
          entryId,
          listType: { code: listType, colour: 'black', ...(infoClass ? { infoClass } : {}) },
          ownerDept: 'COURT',
          subject: { kind: 'legal_person', id: subjectId, name: '某公司' },
          relatedPersons: [],
          decision: { documentNo: 'd', date: '2026-10-01' },
          period: {
            from: new Date(now - 86_400_000).toISOString(),
            to: new Date(now + 365 * 86_400_000).toISOString(),
          },
          publishedAt: new Date(now).toISOString(),
        },
      }),
    };
  };

  const assignments = (entryId: string) =>
    query<{ dept: string; status: string; measure_code: string }>(
      'SELECT dept, status, measure_code FROM trigger.assignments WHERE entry_id = $1 ORDER BY dept',
      [entryId],
    );

  const job = (listType: string) =>
    waitFor(
      async () => {
        const [row] = await query<{ status: string; issued: number; lifted: number; skipped: number }>(
          `SELECT status, issued, lifted, skipped FROM trigger.rescreen_jobs
           WHERE list_type = $1 ORDER BY created_at DESC LIMIT 1`,
          [listType],
        );
        return row?.status === 'completed' ? row : undefined;
      },
      { message: `the re-screening of ${listType} completes`, timeoutMs: 30_000 },
    );

  beforeAll(async () => {
    platform = await startPlatform({ rescreen: { pollMs: 200 } });
    pg = new Client({ connectionString: platform.databaseUrl });
    await pg.connect();
    t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
    for (const code of ['COURT', 'FINANCE']) {
      const res = await api('POST', `${platform.url.registry}/v1/departments`, {
        token: t.admin,
        body: { code, name: code, region: '330100' },
      });
      expect(res.status).toBe(201);
    }
    const memorandum = (code: string, listTypes: string[], measures: Record<string, unknown>[]) =>
      api('POST', `${platform.url.trigger}/v1/memoranda`, {
        token: t.admin,
        body: { code, title: code, documentNo: 'd', listTypes, measures },
      });
    for (const res of [
      await memorandum(
        'MOU-CLASS',
        ['LT_LEGACY'],
        [measureBody('FIN-CL', 'FINANCE'), measureBody('COURT-CL', 'COURT')],
      ),
      await memorandum(
        'MOU-POISON',
        ['LT_POISON'],
        [measureBody('FIN-REP', 'FINANCE', { relatedRoles: ['legal_representative'] })],
      ),
      await memorandum('MOU-LIFT', ['LT_LIFT'], [measureBody('FIN-LIFT', 'FINANCE')]),
    ])
      expect(res.status).toBe(201);
  });

  afterAll(async () => {
    await pg?.end();
    await platform?.close();
  });

  it('the registry announces a list type’s class when it is defined; trigger keeps it', async () => {
    const defined = await api('POST', `${platform.url.registry}/v1/list-types`, {
      token: t.admin,
      body: {
        code: 'LT_DEFINED',
        name: 'defined',
        colour: 'black',
        ownerDept: 'COURT',
        legalBasis: 'b',
        infoClass: 'C',
        severity: 'serious',
        defaultPeriodDays: 730,
        subjectKinds: ['legal_person'],
        noticeWorkingDays: 0,
        minStatementWorkingDays: 0,
        minStatementReason: 'test: published at once',
        suspendOnObjection: false,
      },
    });
    expect(defined.status).toBe(201);
    const [row] = await waitFor(
      async () => {
        const rows = await query<{ info_class: string; owner_dept: string }>(
          `SELECT info_class, owner_dept FROM trigger.list_types WHERE code = 'LT_DEFINED'`,
        );
        return rows.length ? rows : undefined;
      },
      { message: 'trigger learns the class of LT_DEFINED' },
    );
    expect(row).toEqual({ info_class: 'C', owner_dept: 'COURT' });
  });

  it('each start announces again: classes to trigger, implementers to the registry', async () => {
    await pg.query(`DELETE FROM trigger.list_types WHERE code = 'LT_DEFINED'`);
    await pg.query('DELETE FROM registry.list_type_implementers');
    await platform.app.registry.get(RegistryListTypeAccess).onApplicationBootstrap();
    await platform.app.trigger.get(TriggerListTypeAccess).onApplicationBootstrap();
    await waitFor(
      async () => (await query(`SELECT 1 FROM trigger.list_types WHERE code = 'LT_DEFINED'`)).length === 1,
      { message: 'trigger learns LT_DEFINED again' },
    );
    const implementers = await waitFor(
      async () => {
        const rows = await query<{ list_type: string; depts: string[] }>(
          'SELECT list_type, depts FROM registry.list_type_implementers ORDER BY list_type',
        );
        return rows.length === 3 ? rows : undefined;
      },
      { message: 'the registry learns the implementers again' },
    );
    expect(implementers).toEqual([
      { list_type: 'LT_LEGACY', depts: ['COURT', 'FINANCE'] },
      { list_type: 'LT_LIFT', depts: ['FINANCE'] },
      { list_type: 'LT_POISON', depts: ['FINANCE'] },
    ]);
  });

  it('withholds other departments’ measures while the class is unknown, issues them on B, lifts them on C', async () => {
    const { entryId, event } = published('LT_LEGACY', uscc('CLTLEG01'));
    await publish(Topics.listEntries, [event], uscc('CLTLEG01'));
    // fanned out: the owner's own measure reaches it, another department's does not (fail closed)
    await waitFor(async () => (await assignments(entryId)).length > 0, { message: 'fanned out' });
    expect(await assignments(entryId)).toEqual([
      { dept: 'COURT', status: 'issued', measure_code: 'COURT-CL' },
    ]);

    await announce('LT_LEGACY', 'B', new Date());
    await waitFor(async () => (await assignments(entryId)).some((a) => a.dept === 'FINANCE'), {
      message: 'the withheld measure issued once the class is B',
      timeoutMs: 30_000,
    });
    expect(await job('LT_LEGACY')).toMatchObject({ issued: 1, lifted: 0, skipped: 0 });
    expect(await assignments(entryId)).toEqual([
      { dept: 'COURT', status: 'issued', measure_code: 'COURT-CL' },
      { dept: 'FINANCE', status: 'issued', measure_code: 'FIN-CL' },
    ]);

    await announce('LT_LEGACY', 'C', new Date());
    await waitFor(
      async () => (await assignments(entryId)).some((a) => a.dept === 'FINANCE' && a.status === 'lifted'),
      { message: 'the other department’s assignment lifted once the class is C', timeoutMs: 30_000 },
    );
    expect(await assignments(entryId)).toEqual([
      { dept: 'COURT', status: 'issued', measure_code: 'COURT-CL' },
      { dept: 'FINANCE', status: 'lifted', measure_code: 'FIN-CL' },
    ]);
    // an announcement older than the one kept changes nothing
    await announce('LT_LEGACY', 'A', new Date(Date.now() - 3_600_000));
    const { entryId: later, event: laterEvent } = published('LT_LEGACY', uscc('CLTLEG02'));
    await publish(Topics.listEntries, [laterEvent], uscc('CLTLEG02'));
    await waitFor(async () => (await assignments(later)).length > 0, { message: 'later entry fanned out' });
    expect((await assignments(later)).map((a) => a.dept)).toEqual(['COURT']);
    expect(await query(`SELECT info_class FROM trigger.list_types WHERE code = 'LT_LEGACY'`)).toEqual([
      { info_class: 'C' },
    ]);
  });

  it('a snapshot saying A does not outlive the registry’s word: learning C lifts what was issued', async () => {
    const { entryId, event } = published('LT_LIFT', uscc('CLTLFT09'), 'A');
    await publish(Topics.listEntries, [event], uscc('CLTLFT09'));
    await waitFor(async () => (await assignments(entryId)).some((a) => a.dept === 'FINANCE'), {
      message: 'issued under class A',
    });
    await announce('LT_LIFT', 'C', new Date());
    await waitFor(async () => (await assignments(entryId)).every((a) => a.status === 'lifted'), {
      message: 'lifted under class C',
      timeoutMs: 30_000,
    });
    await announce('LT_LIFT', 'A', new Date()); // as it was, for the lift-job test below
    await job('LT_LIFT');
  });

  it('the class job isolates each entry: a malformed one is skipped and counted, the others issued', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()].sort();
    const persons = (n: string) =>
      JSON.stringify([{ id: idNumber(n), kind: 'individual', role: 'legal_representative', name: '张三' }]);
    for (const [i, id] of ids.entries()) {
      await pg.query(
        `INSERT INTO trigger.entries (entry_id, owner_dept, list_type, list_colour, info_class, subject_id,
           subject_kind, subject_name, subject_legacy_ids, related_persons, period_from, period_to, status,
           generation, suspended)
         VALUES ($1, 'COURT', 'LT_POISON', 'black', NULL, $2, 'legal_person', 'x', '{}', $3::jsonb,
           now() - interval '1 day', now() + interval '1 year', 'published', 0, false)`,
        [id, uscc(`CLTPXN0${i}`), i === 1 ? '"not a list"' : persons(`1980020${i}`)],
      );
    }
    await announce('LT_POISON', 'B', new Date());
    expect(await job('LT_POISON')).toMatchObject({ issued: 2, skipped: 1 });
    const counts = await Promise.all(ids.map(async (id) => (await assignments(id)).length));
    expect(counts).toEqual([1, 0, 1]);
  });

  it('the lift job of a retired measure isolates each entry: one the database refuses does not stop the rest', async () => {
    const entries = ['CLTLFT01', 'CLTLFT02', 'CLTLFT03'].map((s) => ({
      s,
      ...published('LT_LIFT', uscc(s), 'A'),
    }));
    for (const e of entries) await publish(Topics.listEntries, [e.event], uscc(e.s));
    for (const e of entries)
      await waitFor(async () => (await assignments(e.entryId)).length === 1, { message: 'issued' });
    // the database refuses to lift the second entry's assignment (as it would a record it cannot store)
    await pg.query(
      `ALTER TABLE trigger.assignments ADD CONSTRAINT test_unliftable
         CHECK (NOT (entry_id = '${entries[1].entryId}' AND status = 'lifted')) NOT VALID`,
    );
    try {
      const retired = await api<{ rescreenJob: { id: string } }>(
        'POST',
        `${platform.url.trigger}/v1/measures/FIN-LIFT/retire`,
        { token: t.admin, body: { reason: 'memorandum revised' } },
      );
      expect(retired.status).toBe(200);
      const done = await waitFor(
        async () => {
          const [row] = await query<{ status: string; lifted: number; skipped: number }>(
            'SELECT status, lifted, skipped FROM trigger.rescreen_jobs WHERE id = $1',
            [retired.body.rescreenJob.id],
          );
          return row?.status === 'completed' ? row : undefined;
        },
        { message: 'the lift job completes past the refused entry', timeoutMs: 30_000 },
      );
      expect(done).toMatchObject({ skipped: 1 });
      const statuses = await Promise.all(entries.map(async (e) => (await assignments(e.entryId))[0].status));
      expect(statuses).toEqual(['lifted', 'issued', 'lifted']);
    } finally {
      await pg.query('ALTER TABLE trigger.assignments DROP CONSTRAINT test_unliftable');
    }
  });
});
