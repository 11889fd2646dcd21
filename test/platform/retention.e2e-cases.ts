import { Client } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ServiceMessaging } from '@credit/messaging';
import { ROOT_LOGGER } from '@credit/platform';
import { insertAccessRecords } from '../../apps/enforcement/src/access-log/access-log.store';
import { ENFORCEMENT_DB } from '../../apps/enforcement/src/enforcement.tokens';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../../apps/registry/src/registry.tokens';
import { AnonymiseEndedEntriesJob } from '../../apps/registry/src/retention/anonymise-ended-entries.job';
import { retentionOptions } from '../../apps/registry/src/retention/retention.options';
import { TrailSealJob } from '../../apps/tracking/src/trail/trail-seal.job';
import { DECISION, idNumber } from '../registry/registry-fixtures';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { waitFor } from '../support/infra';
import { api, startPlatform, TestPlatform } from '../support/services';

const PERSON = idNumber('19750505', '518');
const NAME = '李留存';
const KEPT = idNumber('19850505', '612');
const KEPT_NAME = '赵保留';

/** Every text and JSON value of the platform's own tables that holds `needle` (outbox logs aside). */
async function tablesHolding(databaseUrl: string, needle: string): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ schema: string; table: string; column: string }>(
      `SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
       FROM information_schema.columns c JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema IN ('registry', 'trigger', 'enforcement', 'tracking')
         AND c.data_type IN ('text', 'jsonb', 'json', 'ARRAY')
         -- published events kept for an hour to resend (decision 0015); Kafka's own retention likewise
         AND c.table_name NOT IN ('message_published', 'message_outbox')`,
    );
    const found: string[] = [];
    for (const { schema, table, column } of columns) {
      const { rows } = await client.query(
        `SELECT 1 FROM "${schema}"."${table}" WHERE "${column}"::text LIKE $1 LIMIT 1`,
        [`%${needle}%`],
      );
      if (rows.length > 0) found.push(`${schema}.${table}.${column}`);
    }
    return found;
  } finally {
    await client.end();
  }
}

/**
 * Retention (issue 12): an ended entry's personal data is anonymised once its class's period is over —
 * in the registry (import reports included) and in every copy (trigger, enforcement's inbox, check log,
 * access log and watch lists, tracking's trail, whose chain still verifies).
 */
describe('retention: anonymising ended entries everywhere', () => {
  let platform: TestPlatform;
  const t: Record<string, string> = {};
  let entryId = '';

  beforeAll(async () => {
    platform = await startPlatform();
    for (const [name, dept, role] of [
      ['admin', 'CREDIT_OFFICE', 'admin'],
      ['supervisor', 'CREDIT_OFFICE', 'supervisor'],
      ['court', 'COURT', 'initiator'],
      ['finance', 'FINANCE', 'system'],
    ] as const) {
      t[name] = await platform.token(dept, [role]);
    }
    const { listType } = await seedCatalog(platform, t.admin, {
      listType: { subjectKinds: ['individual'] },
      measures: [measureBody('FN', 'FINANCE', { subjectKinds: ['individual'] })],
    });
    // PERSON's entry comes through a bulk import, KEPT's through the API
    const imported = await fetch(
      `${platform.url.registry}/v1/list-entries/imports?listType=${listType}&mode=draft`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${t.court}`, 'content-type': 'text/csv' },
        body:
          'subjectKind,subjectId,subjectName,documentNo,decisionDate,facts\r\n' +
          `individual,${PERSON},${NAME},${DECISION.documentNo},${DECISION.date},${DECISION.facts}\r\n`,
      },
    );
    expect(imported.status).toBe(201);
    const pg = new Client({ connectionString: platform.databaseUrl });
    await pg.connect();
    try {
      entryId = (
        await pg.query<{ id: string }>(`SELECT id FROM registry.list_entries WHERE subject_id = $1`, [PERSON])
      ).rows[0].id;
      // an import report whose rejected row names the subject (as a kind mismatch's message does)
      await pg.query(
        `INSERT INTO registry.imports (id, owner_dept, list_type, mode, status, total, rejected, rejections,
           created_by, finished_at)
         VALUES (gen_random_uuid(), 'COURT', $1, 'draft', 'completed', 1, 1, $2::jsonb, 'test', now())`,
        [
          listType,
          JSON.stringify([
            {
              row: 1,
              field: 'subjectKind',
              code: 'SUBJECT.KIND_MISMATCH',
              message: `subject ${PERSON} is registered as individual, not legal_person (主体类型不一致)`,
            },
          ]),
        ],
      );
    } finally {
      await pg.end();
    }
    const kept = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: t.court,
      body: { listType, subject: { kind: 'individual', id: KEPT, name: KEPT_NAME }, decision: DECISION },
    });
    for (const id of [entryId, kept.body.id])
      for (const step of ['notice', 'publish'])
        await api('POST', `${platform.url.registry}/v1/list-entries/${id}/${step}`, { token: t.court });
    await waitFor(
      async () =>
        (await api<{ items: unknown[] }>('GET', `${platform.url.enforcement}/v1/inbox`, { token: t.finance }))
          .body.items?.length === 2,
      { message: 'assignments in the inbox' },
    );
    // FINANCE watches the subject (it implements a measure on it), and an admin lets TAX watch it too
    const watched = await api('PUT', `${platform.url.enforcement}/v1/watch-list/${PERSON}`, {
      token: t.finance,
      body: { note: `${NAME} 政府采购供应商` },
    });
    expect(watched.status).toBe(200);
    const granted = await api('PUT', `${platform.url.enforcement}/v1/watch-list/grants/TAX/${PERSON}`, {
      token: t.admin,
    });
    expect(granted.status).toBe(200);
    await api('POST', `${platform.url.enforcement}/v1/checks`, {
      token: t.finance,
      body: { subject: { id: PERSON }, action: 'government_procurement_bid' },
    });
    await api('GET', `${platform.url.registry}/v1/list-entries/${entryId}`, { token: t.supervisor });
    // a repair commitment (信用承诺) bound to the entry, naming the person
    const committed = await api('POST', `${platform.url.registry}/v1/commitments`, {
      token: t.court,
      body: {
        subject: { kind: 'individual', id: PERSON, name: NAME },
        matter: 'repair',
        entryId,
        text: `${NAME} 承诺按期履行`,
      },
    });
    expect(committed.status).toBe(201);
    const ended = await api('POST', `${platform.url.registry}/v1/list-entries/${entryId}/end`, {
      token: t.court,
      body: { reason: 'revoked', note: `${NAME} 撤销` },
    });
    expect(ended.status).toBe(200);
    // the trail sealed up to the end, and the access log has the reads
    await waitFor(
      async () => {
        await platform.app.tracking.get(TrailSealJob).seal();
        const v = await api<{ sealed: number; unsealed: number; valid: boolean }>(
          'GET',
          `${platform.url.tracking}/v1/list-entries/${entryId}/trail/verify`,
          { token: t.supervisor },
        );
        return v.body.valid && v.body.sealed > 3 && v.body.unsealed === 0;
      },
      { message: 'trail sealed', timeoutMs: 30_000 },
    );
    await waitFor(
      async () =>
        (
          await api<{ items: unknown[] }>(
            'GET',
            `${platform.url.enforcement}/v1/access-log?subjectId=${PERSON}`,
            { token: t.admin },
          )
        ).body.items?.length >= 3,
      { message: 'reads recorded' },
    );
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('keeps an ended entry for the default five years after its end, then anonymises it', async () => {
    const registry = platform.app.registry;
    // the default: five years after the end
    const job = registry.get(AnonymiseEndedEntriesJob);
    expect(await job.anonymiseDue(new Date(Date.now() + 1825 * 86_400_000))).toBe(0);
    expect(await job.anonymiseDue(new Date(Date.now() + 1827 * 86_400_000))).toBe(1);
  });

  it('anonymises with a short period, once, and leaves what it must keep', async () => {
    const entry = await api<{ subject: { id: string; name: string }; status: string; listType: string }>(
      'GET',
      `${platform.url.registry}/v1/list-entries/${entryId}`,
      { token: t.supervisor },
    );
    expect(entry.body.subject.id).toMatch(/^anon:/);
    expect(entry.body.subject.name).toBe('');
    expect(entry.body.status).toBe('ended');
    expect(entry.body.listType).toBeTruthy();
    const pseudonym = entry.body.subject.id;
    const registry = platform.app.registry;

    // a job with a short period (a minute for class A): an entry ended now is anonymised two minutes on,
    // once; the one anonymised before is not taken again
    const short = new AnonymiseEndedEntriesJob(
      registry.get<DataSource>(REGISTRY_DB),
      registry.get<ServiceMessaging>(REGISTRY_MESSAGING),
      retentionOptions({ days: { A: 1 / 1440 }, intervalMs: 0 }),
      registry.get<Logger>(ROOT_LOGGER),
    );
    const another = await api<{ id: string }>('POST', `${platform.url.registry}/v1/list-entries`, {
      token: t.court,
      body: {
        listType: entry.body.listType,
        subject: { kind: 'individual', id: idNumber('19660606', '735'), name: '孙短期' },
        decision: DECISION,
      },
    });
    for (const step of ['notice', 'publish', 'end'])
      await api('POST', `${platform.url.registry}/v1/list-entries/${another.body.id}/${step}`, {
        token: t.court,
        ...(step === 'end' ? { body: { reason: 'revoked' } } : {}),
      });
    expect(await short.anonymiseDue(new Date(Date.now() + 30_000))).toBe(0);
    // two replicas at once: the entry is taken by one of them (SKIP LOCKED), never by both
    const replica = new AnonymiseEndedEntriesJob(
      registry.get<DataSource>(REGISTRY_DB),
      registry.get<ServiceMessaging>(REGISTRY_MESSAGING),
      retentionOptions({ days: { A: 1 / 1440 }, intervalMs: 0 }),
      registry.get<Logger>(ROOT_LOGGER),
    );
    const later = new Date(Date.now() + 120_000);
    const taken = await Promise.all([short.anonymiseDue(later), replica.anonymiseDue(later)]);
    expect(taken.sort()).toEqual([0, 1]);
    expect(await short.anonymiseDue(new Date(Date.now() + 120_000))).toBe(0);

    // every copy follows
    await waitFor(
      async () => ((await tablesHolding(platform.databaseUrl, PERSON)).length === 0 ? true : undefined),
      { message: 'no copy of the ID number left', timeoutMs: 20_000 },
    ).catch(() => undefined);
    expect(await tablesHolding(platform.databaseUrl, PERSON)).toEqual([]);
    expect(await tablesHolding(platform.databaseUrl, NAME)).toEqual([]);
    // 公示's feed keeps the changes, not even the masked subject (decision 0032)
    const feed = new Client({ connectionString: platform.databaseUrl });
    await feed.connect();
    const published = (
      await feed.query<{ subject: { id: string; name: string } }>(
        `SELECT data->'subject' AS subject FROM registry.publication_events WHERE entry_id = $1`,
        [entryId],
      )
    ).rows;
    await feed.end();
    expect(published.length).toBeGreaterThan(0);
    expect(published.map((r) => [r.subject.id, r.subject.name])).toEqual(published.map(() => ['*', '*']));
    // a read recorded before the anonymisation that reaches the access log after it (another service's
    // outbox was slower) is stored under the pseudonym, as the consumer of credit.access stores it
    await insertAccessRecords(platform.app.enforcement.get<DataSource>(ENFORCEMENT_DB), 'registry', [
      {
        at: new Date().toISOString(),
        sub: 'court-user',
        dept: 'COURT',
        role: 'initiator',
        subjectId: PERSON,
        what: 'GET /v1/list-entries/:id',
      },
    ]);
    expect(await tablesHolding(platform.databaseUrl, PERSON)).toEqual([]);
    // the other entry is not due (not ended): it keeps its data
    expect((await tablesHolding(platform.databaseUrl, KEPT)).length).toBeGreaterThan(0);
    expect((await tablesHolding(platform.databaseUrl, KEPT_NAME)).length).toBeGreaterThan(0);

    const inbox = await api<{ items: { entryId: string; subject: { id: string; name?: string } }[] }>(
      'GET',
      `${platform.url.enforcement}/v1/inbox`,
      { token: t.finance },
    );
    expect(inbox.body.items.find((i) => i.entryId === entryId)?.subject.id).toBe(pseudonym);
    const log = await api<{ items: { subjectId: string; what: string }[] }>(
      'GET',
      `${platform.url.enforcement}/v1/access-log?subjectId=${encodeURIComponent(pseudonym)}`,
      { token: t.admin },
    );
    expect(log.body.items.map((i) => i.what)).toEqual(
      expect.arrayContaining(['check government_procurement_bid', 'GET /v1/list-entries/:id']),
    );

    // the trail: redacted, and its chain still verifies (links; content verified at the redaction)
    let verify: Record<string, unknown> = {};
    await waitFor(
      async () => {
        await platform.app.tracking.get(TrailSealJob).seal();
        verify = (
          await api('GET', `${platform.url.tracking}/v1/list-entries/${entryId}/trail/verify`, {
            token: t.supervisor,
          })
        ).body;
        return verify.redacted ? verify : undefined;
      },
      { message: 'trail redacted and sealed', timeoutMs: 20_000 },
    ).catch(() => undefined);
    // (the anonymisation's own record is dated five years ahead, as the job was run: not sealed yet)
    expect(verify).toMatchObject({ valid: true, firstBroken: null });
    expect(verify.redacted).toBeGreaterThan(3);
    const trail = await api('GET', `${platform.url.tracking}/v1/list-entries/${entryId}/trail`, {
      token: t.supervisor,
    });
    expect(JSON.stringify(trail.body)).not.toContain(PERSON);
    expect(JSON.stringify(trail.body)).toContain(pseudonym);
  });
});
