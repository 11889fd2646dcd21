import { randomUUID } from 'node:crypto';
import { keyHash } from '@credit/contracts';
import { ENFORCEMENT_MIGRATIONS } from '../../apps/enforcement/src/enforcement.module';
import { EnforcementEntryPartitions1769670000000 } from '../../apps/enforcement/src/migrations/1769670000000-enforcement-entry-partitions';
import { openEnforcementAt } from '../support/enforcement-database';
import { createTestDatabase } from '../support/infra';

const MEASURE = JSON.stringify({ code: 'BAN', text: 't', mode: 'block', actions: ['bid'], legalBasis: 'b' });

/**
 * Decision 0080's follow-up on a database of the previous version: the table partitions of the entries
 * already held are filled in, the trigger keeps them for the rows inserted after, and it undoes.
 */
describe('the migration that remembers an entry’s table partitions (decision 0080)', () => {
  it('fills them from the rows held, keeps them on insert, and undoes', async () => {
    const database = await createTestDatabase();
    const at = ENFORCEMENT_MIGRATIONS.indexOf(EnforcementEntryPartitions1769670000000);
    const insert = (
      db: { query: (sql: string, params: unknown[]) => Promise<unknown> },
      entry: string,
      target: string,
    ) =>
      db.query(
        `INSERT INTO enforcement.assignments (id, entry_id, dept, measure, list_type, list_colour,
           subject_id, subject_kind, subject_name, target_id, target_kind, period_from, period_to, status,
           issued_at, feedback_deadline, updated_at, key_partition)
         VALUES ($1, $2, 'FINANCE', $3, 'COURT_DEFAULTER', 'black', $4, 'legal_person', 'x', $4,
           'legal_person', now(), now() + interval '1 year', 'issued', now(), now(), now(), $5)`,
        [randomUUID(), entry, MEASURE, target, keyHash(target) % 48],
      );
    const [first, second] = [randomUUID(), randomUUID()];
    const targets = ['91330106MA2P00001X', '91330106MA2P00002X', '91330106MA2P00003X'];
    const expected = (entry: string, of: string[]) =>
      [...new Set(of.map((t) => keyHash(t) % 48))].sort((a, b) => a - b).map((p) => ({ entry, p }));
    try {
      const old = await openEnforcementAt(database.url, ENFORCEMENT_MIGRATIONS.slice(0, at));
      for (const target of targets) await insert(old, first, target);
      await insert(old, first, targets[0]); // a second measure for the same target: one partition
      await old.destroy();

      const db = await openEnforcementAt(database.url, ENFORCEMENT_MIGRATIONS.slice(0, at + 1));
      try {
        const held = () =>
          db.query<{ entry: string; p: number }[]>(
            `SELECT entry_id AS entry, key_partition AS p FROM enforcement.entry_partitions ORDER BY 1, 2`,
          );
        expect(await held()).toEqual(expected(first, targets));
        await insert(db, second, targets[2]);
        await insert(db, second, targets[2]);
        expect((await held()).filter((r) => r.entry === second)).toEqual(expected(second, [targets[2]]));
        await db.undoLastMigration();
        const [{ exists }] = await db.query<{ exists: boolean }[]>(
          `SELECT to_regclass('enforcement.entry_partitions') IS NOT NULL AS exists`,
        );
        expect(exists).toBe(false);
        await insert(db, randomUUID(), targets[1]); // the trigger as it was: no table to write
      } finally {
        await db.destroy();
      }
    } finally {
      await database.drop();
    }
  });
});
