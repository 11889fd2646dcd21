import { randomUUID } from 'node:crypto';
import { MediumPlatform, startMedium } from '../../../../../test/support/medium';
import { keyHash } from './key-partition';
import { MeasureQueries } from './measure-queries';

/** Migration 1768600000000 on PGlite (the embedded mode's database): the SQL hash and the written marks. */
describe('binding rows by partition, and what the backstop reads (PGlite)', () => {
  let platform: MediumPlatform;

  beforeAll(async () => {
    platform = await startMedium({ services: ['enforcement'] });
  });
  afterAll(() => platform?.close());

  const insert = async (target: string, status = 'issued') => {
    const id = randomUUID();
    await platform.sql(
      `INSERT INTO enforcement.assignments (id, entry_id, dept, measure, list_type, list_colour, subject_id,
         subject_kind, subject_name, target_id, target_kind, period_from, period_to, status, issued_at,
         feedback_deadline, updated_at, key_partition)
       VALUES ($1, $2, 'FINANCE', $3, 'COURT_DEFAULTER', 'black', $4, 'legal_person', '某公司', $4,
         'legal_person', now(), now() + interval '1 year', $5, now(), now(), now(),
         enforcement.key_hash($4) % 48)`,
      [
        id,
        randomUUID(),
        JSON.stringify({ code: 'M1', text: 't', mode: 'block', actions: ['exit_entry'], legalBasis: 'b' }),
        target,
        status,
      ],
    );
    return id;
  };

  it('hashes keys as kafkajs does', async () => {
    const keys = ['', 'a', 'abc', 'abcd', '91330106MA2GXXXX1X', '张三丰', '330106199001011234x'];
    const rows = await platform.sql<{ k: string; h: number }>(
      `SELECT k, enforcement.key_hash(k) AS h FROM unnest($1::text[]) k`,
      [keys],
    );
    for (const row of rows) expect(row.h).toBe(keyHash(row.k));
  });

  it('stores the target’s hash, and the changes since a watermark include updates and deletes', async () => {
    const queries = platform.get(MeasureQueries as unknown as new () => MeasureQueries);
    const target = '91330106MA2GSCALE1';
    const kept = await insert(target);
    const [{ h }] = await platform.sql<{ h: number }>(
      `SELECT target_hash AS h FROM enforcement.assignments WHERE id = $1`,
      [kept],
    );
    expect(h).toBe(keyHash(target));
    const removed = await insert('91330106MA2GSCALE2');
    const watermark = await queries.watermark();
    expect((await queries.changedSince(watermark, 100)).rows).toEqual([]);

    await platform.sql(`UPDATE enforcement.assignments SET status = 'lifted' WHERE id = $1`, [kept]);
    await platform.sql(`DELETE FROM enforcement.assignments WHERE id = $1`, [removed]);
    const changes = await queries.changedSince(watermark, 100);
    expect(changes.rows.map((r) => [r.id, r.binding]).sort()).toEqual(
      [
        [kept, false],
        [removed, false],
      ].sort(),
    );
  });
});
