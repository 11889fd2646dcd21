import { Client } from 'pg';
import { TRIGGER_CONSTRAINT_ERRORS } from '../../apps/trigger/src/trigger.constraint-errors';
import { loadDemoCatalog, readDemoCatalog } from '../../scripts/demo-catalog';
import { DECISION, idNumber, uscc } from '../registry/registry-fixtures';
import { waitFor } from '../support/infra';
import { api, startPlatform, TestPlatform } from '../support/services';

type Assignment = { dept: string; measureCode: string; target: { id: string; role?: string } };

/**
 * The shipped demo catalog, loaded through the API, fans one court defaulter out as the memoranda say;
 * requests racing to add one new code to it get one success and conflicts, on PostgreSQL's constraints.
 */
describe('the demo catalog', () => {
  let platform: TestPlatform;
  const catalog = readDemoCatalog();

  beforeAll(async () => {
    platform = await startPlatform();
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('loads through the API, twice without harm', async () => {
    const adminToken = await platform.token('CREDIT_OFFICE', ['admin']);
    const urls = { registryUrl: platform.url.registry, triggerUrl: platform.url.trigger, adminToken };
    const first = await loadDemoCatalog(urls);
    expect(first).toEqual({
      departments: catalog.departments.length,
      listTypes: catalog.listTypes.length,
      memoranda: catalog.memoranda.length,
      measures: catalog.memoranda.reduce((n, m) => n + m.measures.length, 0),
    });
    expect(first.measures).toBeGreaterThanOrEqual(50);
    expect(await loadDemoCatalog(urls)).toEqual({ departments: 0, listTypes: 0, memoranda: 0, measures: 0 });
  });

  it('issues one court defaulter exactly the assignments the demo memoranda require', async () => {
    const court = await platform.token('COURT', ['initiator']);
    const supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    const subject = { kind: 'legal_person', id: uscc('DEM0C0RP'), name: '杭州演示科技有限公司' };
    const relatedPersons = [
      { role: 'legal_representative', kind: 'individual', id: idNumber('19800101', '111'), name: '王五' },
      { role: 'principal', kind: 'individual', id: idNumber('19820202', '222'), name: '赵六' },
    ];
    // what the catalog says, counted from the data files
    const expected = catalog.memoranda
      .filter((m) => m.listTypes.includes('COURT_DEFAULTER'))
      .flatMap((m) => m.measures)
      .filter((m) => m.subjectKinds.includes('legal_person'))
      .flatMap((m) =>
        m.relatedRoles?.length
          ? relatedPersons
              .filter((p) => m.relatedRoles!.includes(p.role))
              .map((p) => `${m.dept}:${m.code}:${p.id}`)
          : [`${m.dept}:${m.code}:${subject.id}`],
      )
      .sort();
    expect(expected.length).toBeGreaterThan(10);

    const created = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: court,
      body: { listType: 'COURT_DEFAULTER', subject, relatedPersons, decision: DECISION },
    });
    expect(created.status).toBe(201);
    for (const step of ['notice', 'publish']) {
      expect(
        (
          await api('POST', `${platform.url.registry}/v1/list-entries/${created.body.id}/${step}`, {
            token: court,
          })
        ).status,
      ).toBe(200);
    }
    const items = await waitFor(
      async () => {
        const res = await api<{ items: Assignment[] }>(
          'GET',
          `${platform.url.trigger}/v1/assignments?entryId=${created.body.id}&limit=500`,
          { token: supervisor },
        );
        return res.body.items.length >= expected.length ? res.body.items : undefined;
      },
      { message: `${expected.length} assignments` },
    );
    expect(items.map((a) => `${a.dept}:${a.measureCode}:${a.target.id}`).sort()).toEqual(expected);
    const departments = new Set(items.map((a) => a.dept));
    expect(departments.size).toBeGreaterThanOrEqual(10);
  });

  it('answers requests racing with one new code with one success and conflicts, never a 500', async () => {
    const admin = await platform.token('CREDIT_OFFICE', ['admin']);
    // the catalog in place (a second load adds nothing): its departments, list types and memoranda
    await loadDemoCatalog({
      registryUrl: platform.url.registry,
      triggerUrl: platform.url.trigger,
      adminToken: admin,
    });
    const source = catalog.memoranda[0];
    // six at once: each passes the use case's check before any commits, and all but one meet the constraint
    const race = (path: string, body: unknown) =>
      Promise.all(
        Array.from({ length: 6 }, () =>
          api<{ code?: string }>('POST', `${platform.url.trigger}${path}`, { token: admin, body }),
        ),
      );
    const conflicts = (answers: { status: number; body: { code?: string } }[]) =>
      answers.filter((a) => a.status !== 201).map((a) => `${a.status} ${a.body.code}`);

    const added = await race(`/v1/memoranda/${source.code}/measures`, {
      ...source.measures[0],
      code: 'RACE-ADDED',
    });
    expect(added.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set(conflicts(added))).toEqual(new Set(['409 MEASURE.ALREADY_EXISTS']));

    const created = await race('/v1/memoranda', {
      ...source,
      code: 'MOU-RACE',
      measures: [{ ...source.measures[0], code: 'RACE-IN-MOU' }],
    });
    expect(created.filter((a) => a.status === 201)).toHaveLength(1);
    for (const conflict of conflicts(created))
      expect(['409 MEMORANDUM.ALREADY_EXISTS', '409 MEASURE.ALREADY_EXISTS']).toContain(conflict);
  });

  it('maps only constraints and unique indexes the migrated trigger schema has', async () => {
    const client = new Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        `SELECT conname AS name FROM pg_constraint WHERE connamespace = 'trigger'::regnamespace
         UNION SELECT indexname FROM pg_indexes WHERE schemaname = 'trigger'`,
      );
      const names = new Set(rows.map((r) => r.name));
      expect(Object.keys(TRIGGER_CONSTRAINT_ERRORS).filter((name) => !names.has(name))).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
