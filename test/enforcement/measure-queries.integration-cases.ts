import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BindingRow, FIRST_ID } from '../../apps/enforcement/src/checks/active-measures/measure-queries';
import {
  bindingSelect,
  PgMeasureQueries,
} from '../../apps/enforcement/src/checks/active-measures/pg-measure-queries';
import { tablePartitionsOf } from '../../apps/enforcement/src/checks/active-measures/table-partitions';
import { ENFORCEMENT_ENGINES, openEnforcementDatabase } from '../support/enforcement-database';

const MEASURE = {
  code: 'BAN',
  text: '限制参加政府采购活动',
  mode: 'block',
  actions: ['bid'],
  legalBasis: 'art. 1',
};

/** An assignment row as the inbox handler writes it; `over` sets target, subject, legacy codes, status. */
const insert = (
  db: { query: (sql: string, params: unknown[]) => Promise<unknown> },
  over: { id?: string; entry?: string; target: string; subject?: string; legacy?: string[]; status?: string },
) => {
  const id = over.id ?? randomUUID();
  return db
    .query(
      `INSERT INTO enforcement.assignments (id, entry_id, dept, measure, list_type, list_colour, subject_id,
         subject_kind, subject_name, target_id, target_kind, period_from, period_to, status, issued_at,
         feedback_deadline, updated_at, subject_legacy_ids, key_partition)
       VALUES ($1, $2, 'FINANCE', $3, 'COURT_DEFAULTER', 'red', $4, 'legal_person', 'x', $5, 'legal_person',
         '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z', $6, now(), now(), now(), $7,
         enforcement.key_hash($5) % 48)`,
      [
        id,
        over.entry ?? randomUUID(),
        MEASURE,
        over.subject ?? over.target,
        over.target,
        over.status ?? 'issued',
        over.legacy ?? [],
      ],
    )
    .then(() => id);
};

/**
 * The check's SQL (`PgMeasureQueries`) on PostgreSQL and on the embedded PGlite: what the index reads, and
 * the backstop's rows written since a watermark — binding or not, deletes revealed by the count.
 */
describe.each(ENFORCEMENT_ENGINES)('the check index queries, %s', (_name, kind) => {
  let db: DataSource;
  let queries: PgMeasureQueries;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const opened = await openEnforcementDatabase(kind);
    db = opened.db;
    cleanup = opened.close;
    if (opened.url) {
      // a transaction left open (as another database's may be on a shared server) holds every watermark
      // back: rows written before are listed again, and must be told apart by their versions
      const lingering = new Client({ connectionString: opened.url });
      await lingering.connect();
      await lingering.query('BEGIN');
      await lingering.query('SELECT pg_current_xact_id()');
      cleanup = async () => {
        await lingering.query('COMMIT');
        await lingering.end();
        await opened.close();
      };
    }
    queries = new PgMeasureQueries(db);
  }, 120_000);

  afterAll(async () => {
    await cleanup?.();
  });

  it('reads binding rows whole, by identifier (target or legacy code) and by id', async () => {
    const a = await insert(db, { target: '91330106MA2H7QK4XA', legacy: ['MA2H7QK4X'] });
    const person = await insert(db, { target: '330106199001011234', subject: '91330106MA2H7QK4XA' });
    await insert(db, { target: '91330106MA2H7QK4XB', status: 'lifted' });

    const page = await queries.bindingPage(FIRST_ID, 500);
    expect(page.map((r) => r.id).sort()).toEqual([a, person].sort());
    const row = page.find((r) => r.id === a)!;
    expect(row.keys).toEqual(['91330106MA2H7QK4XA', 'MA2H7QK4X']);
    expect(row.measure).toMatchObject({
      measureCode: 'BAN',
      mode: 'block',
      actions: ['bid'],
      dept: 'FINANCE',
    });
    expect(row.measure.until.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(page.find((r) => r.id === person)!.keys).toEqual(['330106199001011234']);

    expect((await queries.bindingUnder(['MA2H7QK4X'])).map((r) => r.id)).toEqual([a]);
    expect((await queries.bindingUnder(['91330106MA2H7QK4XB'])).map((r) => r.id)).toEqual([]);
    expect(await queries.bindingUnder([])).toEqual([]); // no key: no statement (an empty partition list)
    expect((await queries.bindingById([a, person])).map((r) => r.id).sort()).toEqual([a, person].sort());
    const versions = await queries.versionsPage(FIRST_ID, 500);
    expect(versions.find((v) => v.id === a)?.version).toBe(row.version);
  });

  it('reads the whole binding set of some partitions in one pass (COPY on PostgreSQL, pages on PGlite)', async () => {
    const odd = { code: 'W\t1', text: '限制\\高消费\n', mode: 'warn', actions: ['a'], legalBasis: 'b' };
    const ids: string[] = [];
    for (let i = 0; i < 40; i += 1)
      ids.push(
        await insert(db, {
          target: `91330106MA2H8${String(i).padStart(4, '0')}X`,
          legacy: i % 5 ? [] : [`L${i}`],
        }),
      );
    await db.query(`UPDATE enforcement.assignments SET measure = $1, target_role = 'a\tb' WHERE id = $2`, [
      odd,
      ids[3],
    ]);
    const binding: { id: string; target_id: string; target_hash: number }[] = await db.query(
      `SELECT id, target_id, target_hash FROM enforcement.assignments
       WHERE status IN ('issued', 'acknowledged', 'enforced')`,
    );
    const read = async (scope?: { partitions: number; owned: number[] }) => {
      const rows: BindingRow[] = [];
      expect(
        await queries.readBinding(scope, { intact: () => true, rows: (b) => (rows.push(...b), true) }),
      ).toBe(true);
      return rows;
    };
    const all = await read();
    expect(all.map((r) => r.id).sort()).toEqual(binding.map((r) => r.id).sort());
    // the same rows as the paged read, field by field
    const paged = await queries.bindingPage(FIRST_ID, 500);
    const byId = new Map(paged.map((r) => [r.id, r]));
    for (const row of all) expect(row).toEqual(byId.get(row.id));
    expect(all.find((r) => r.id === ids[3])!.measure).toMatchObject({
      measureText: odd.text,
      targetRole: 'a\tb',
    });
    expect(all.find((r) => r.id === ids[5])!.keys).toEqual([`91330106MA2H80005X`, 'L5']);
    // a scope: only the rows of those partitions
    const scoped = await read({ partitions: 4, owned: [1, 3] });
    expect(scoped.map((r) => r.id).sort()).toEqual(
      binding
        .filter((r) => [1, 3].includes(r.target_hash % 4))
        .map((r) => r.id)
        .sort(),
    );
    // stopped by its sink: false, and the connection is usable after
    let batches = 0;
    expect(
      await queries.readBinding(undefined, { intact: () => true, rows: () => ++batches > 1 && false }),
    ).toBe(false);
    expect((await queries.bindingUnder(['MA2H7QK4X'])).length).toBe(1);
  });

  it('reads only the table partitions of its share (decision 0080), every one when its count does not divide 48', async () => {
    type Plan = { 'Relation Name'?: string; Plans?: Plan[] };
    const relations = (plan: Plan): string[] => [
      ...(plan['Relation Name'] ? [plan['Relation Name']] : []),
      ...(plan.Plans ?? []).flatMap(relations),
    ];
    const scanned = async (scope: { partitions: number; owned: number[] }) => {
      const [{ 'QUERY PLAN': plan }]: { 'QUERY PLAN': { Plan: Plan }[] }[] = await db.query(
        `EXPLAIN (FORMAT JSON) ${bindingSelect(scope)}`,
      );
      return relations(plan[0].Plan).sort();
    };
    const names = (qs: number[]) => qs.map((q) => `assignments_k${String(q).padStart(2, '0')}`);
    // a third of 48: the 16 whose number is 1 modulo 3
    expect(await scanned({ partitions: 3, owned: [1] })).toEqual(
      names(Array.from({ length: 16 }, (_, i) => 3 * i + 1)).sort(),
    );
    expect(await scanned({ partitions: 48, owned: [7, 40] })).toEqual(names([7, 40]));
    expect(await scanned({ partitions: 5, owned: [0] })).toHaveLength(48);
    // and an identifier's rows are looked up in its own partition
    expect(tablePartitionsOf({ partitions: 4, owned: [2] })).toEqual([
      2, 6, 10, 14, 18, 22, 26, 30, 34, 38, 42, 46,
    ]);
  });

  it('lists the rows written since a watermark, lifted ones included (through an index, no count)', async () => {
    // the watermark is the cluster's oldest running transaction: another database's may hold it back, so
    // rows written before it can be listed again — notHeld — but a row written since is never missed
    const all: { id: string; version: string }[] = await db.query(
      `SELECT id, xmin::text AS version FROM enforcement.assignments`,
    );
    const held = new Map(all.map((v) => [v.id, v.version]));
    const notHeld = <R extends { id: string; version: string }>(rows: R[]) =>
      rows.filter((r) => held.get(r.id) !== r.version);
    const watermark = await queries.watermark();
    const before = await queries.changedSince(watermark, 100);
    expect(notHeld(before.rows)).toEqual([]);
    expect(before.bindingRows).toBeUndefined();

    const fresh = await insert(db, { target: '91330106MA2H7QK4XC' });
    await db.query(
      `UPDATE enforcement.assignments SET status = 'lifted' WHERE target_id = '330106199001011234'`,
    );
    const changes = await queries.changedSince(watermark, 100);
    expect(
      notHeld(changes.rows)
        .map((r) => [r.keys[0], r.binding])
        .sort(),
    ).toEqual([
      ['330106199001011234', false],
      ['91330106MA2H7QK4XC', true],
    ]);
    expect(changes.rows.find((r) => r.id === fresh)?.version).toMatch(/^\d+$/);
    expect(changes.truncated).toBe(false);
    // never back (it stays while a transaction of another database runs on)
    expect(BigInt(changes.watermark) >= BigInt(watermark)).toBe(true);
    // from the new watermark on, nothing new
    for (const r of changes.rows) held.set(r.id, r.version);
    expect(notHeld((await queries.changedSince(changes.watermark, 100)).rows)).toEqual([]);
    // a limit below the number written: truncated
    expect((await queries.changedSince(watermark, 1)).truncated).toBe(true);
  });

  it('a row of an ended entry binds no more; one issued after the end was heard never binds (decision 0063)', async () => {
    const watermark = await queries.watermark();
    const entry = randomUUID();
    const marked = await insert(db, { entry, target: '91330106MA2H7QK4XD' });
    expect(await queries.bindingUnder(['91330106MA2H7QK4XD'])).toHaveLength(1);
    await db.query(`UPDATE enforcement.assignments SET entry_ended_at = now() WHERE entry_id = $1`, [entry]);
    expect(await queries.bindingUnder(['91330106MA2H7QK4XD'])).toEqual([]);
    expect(await queries.bindingById([marked])).toEqual([]);
    // the backstop sees it as it sees a lift: written since the watermark, no longer binding
    const changes = await queries.changedSince(watermark, 100);
    expect(changes.rows.filter((r) => r.id === marked).map((r) => r.binding)).toEqual([false]);

    // the end heard before the entry's assignments were issued (two topics, no order between them)
    const ended = randomUUID();
    await db.query(
      `INSERT INTO enforcement.ended_entries (entry_id, ended_at, reason) VALUES ($1, now(), 'repaired')`,
      [ended],
    );
    const late = await insert(db, { entry: ended, target: '91330106MA2H7QK4XE' });
    expect(await queries.bindingUnder(['91330106MA2H7QK4XE'])).toEqual([]);
    const [row]: { ended: boolean }[] = await db.query(
      `SELECT entry_ended_at IS NOT NULL AS ended FROM enforcement.assignments WHERE id = $1`,
      [late],
    );
    expect(row.ended).toBe(true);
  });

  it('a deleted row is listed as no longer binding (its keys kept by a trigger, decision 0055)', async () => {
    const watermark = await queries.watermark();
    await db.query(`DELETE FROM enforcement.assignments WHERE target_id = '91330106MA2H7QK4XC'`);
    const changes = await queries.changedSince(watermark, 100);
    expect(changes.rows.filter((r) => r.keys[0] === '91330106MA2H7QK4XC').map((r) => r.binding)).toEqual([
      false,
    ]);
  });
});

describe('the backstop watermark on PostgreSQL with transactions committing out of order', () => {
  let close: () => Promise<void>;
  let db: DataSource;
  let slow: Client;

  beforeAll(async () => {
    const opened = await openEnforcementDatabase('pg');
    ({ db, close } = opened);
    slow = new Client({ connectionString: opened.url });
    await slow.connect();
  }, 120_000);

  afterAll(async () => {
    await slow?.end();
    await close?.();
  });

  it('finds a write whose transaction began before a read and committed after it', async () => {
    const queries = new PgMeasureQueries(db);
    await slow.query('BEGIN');
    await insert(slow, { target: '91330106MA2H7QK4XS' }); // takes its transaction id now
    const later = await insert(db, { target: '91330106MA2H7QK4XL' }); // commits first
    const first = await queries.changedSince(await queries.watermark(), 100);
    expect(first.rows.map((r) => r.id)).toContain(later);
    expect(first.rows.some((r) => r.keys[0] === '91330106MA2H7QK4XS')).toBe(false); // not committed yet
    await slow.query('COMMIT');
    const next = await queries.changedSince(first.watermark, 100);
    expect(next.rows.map((r) => r.keys[0])).toContain('91330106MA2H7QK4XS');
  });
});
