import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { keyHash } from '@credit/contracts';
import { ENFORCEMENT_MIGRATIONS } from '../../apps/enforcement/src/enforcement.module';
import { EnforcementAssignmentsByPartition1769660000000 } from '../../apps/enforcement/src/migrations/1769660000000-enforcement-assignments-by-partition';
import { openEnforcementAt } from '../support/enforcement-database';
import { createTestDatabase } from '../support/infra';

const MEASURE = {
  code: 'BAN',
  text: '限制参加政府采购活动',
  mode: 'block',
  actions: ['bid'],
  legalBasis: 'b',
};

/**
 * Decision 0080 on a database of the previous version: `enforcement.assignments` becomes 48 list
 * partitions by murmur2 of the target, every row moved to its target's, with the indexes and triggers it
 * had; and back.
 */
describe('the migration that partitions enforcement.assignments by target (decision 0080)', () => {
  it('moves every row to its target’s partition, keeps indexes and triggers, and undoes', async () => {
    const database = await createTestDatabase();
    const open = (migrations: readonly unknown[]) => openEnforcementAt(database.url, migrations);
    const shape = async (db: DataSource) => ({
      indexes: (
        await db.query<{ indexname: string }[]>(
          `SELECT indexname FROM pg_indexes WHERE schemaname = 'enforcement' AND tablename = 'assignments'
           ORDER BY 1`,
        )
      ).map((r) => r.indexname),
      triggers: (
        await db.query<{ tgname: string }[]>(
          `SELECT tgname FROM pg_trigger WHERE tgrelid = 'enforcement.assignments'::regclass
             AND NOT tgisinternal ORDER BY 1`,
        )
      ).map((r) => r.tgname),
    });
    const rows = (db: DataSource) =>
      db.query<{ id: string; target_id: string; status: string; target_hash: number }[]>(
        `SELECT id, target_id, status, target_hash FROM enforcement.assignments ORDER BY id`,
      );
    const insert = (db: DataSource, target: string, status = 'issued', extra = '', values = '') =>
      db.query(
        `INSERT INTO enforcement.assignments (id, entry_id, dept, measure, list_type, list_colour,
           subject_id, subject_kind, subject_name, target_id, target_kind, period_from, period_to, status,
           issued_at, feedback_deadline, updated_at${extra})
         VALUES ($1, $2, 'FINANCE', $3, 'COURT_DEFAULTER', 'black', $4, 'legal_person', 'x', $4,
           'legal_person', now(), now() + interval '1 year', $5, now(), now(), now()${values})`,
        [randomUUID(), randomUUID(), JSON.stringify(MEASURE), target, status],
      );
    const through = ENFORCEMENT_MIGRATIONS.slice(
      0,
      ENFORCEMENT_MIGRATIONS.indexOf(EnforcementAssignmentsByPartition1769660000000) + 1,
    );
    const before = through.slice(0, -1);
    try {
      const old = await open(before);
      const targets = Array.from({ length: 60 }, (_, i) => `91330106MA2P${String(i).padStart(5, '0')}X`);
      for (const [i, target] of targets.entries()) await insert(old, target, i % 4 ? 'issued' : 'lifted');
      const kept = await rows(old);
      const was = await shape(old);
      await old.destroy();

      const db = await open(through);
      try {
        expect(await rows(db)).toEqual(kept);
        const placed = await db.query<{ target_id: string; part: string; key_partition: number }[]>(
          `SELECT target_id, tableoid::regclass::text AS part, key_partition FROM enforcement.assignments`,
        );
        for (const row of placed) {
          const q = keyHash(row.target_id) % 48;
          expect(row.key_partition).toBe(q);
          expect(row.part).toMatch(new RegExp(`assignments_k${String(q).padStart(2, '0')}$`));
        }
        const [{ n }] = await db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'enforcement.assignments'::regclass`,
        );
        expect(n).toBe(48);
        expect(await shape(db)).toEqual(was); // the same indexes (the key now (id, key_partition)), triggers
        // the triggers work on the partitioned table: the hash is set, the removal recorded
        await insert(db, 'NEWTARGET01', 'issued', ', key_partition', `, ${keyHash('NEWTARGET01') % 48}`);
        const [fresh] = await db.query<{ target_hash: number }[]>(
          `SELECT target_hash FROM enforcement.assignments WHERE target_id = 'NEWTARGET01'`,
        );
        expect(fresh.target_hash).toBe(keyHash('NEWTARGET01'));
        await db.query(`DELETE FROM enforcement.assignments WHERE target_id = 'NEWTARGET01'`);
        const removed = await db.query(
          `SELECT 1 FROM enforcement.assignment_removals WHERE target_id = 'NEWTARGET01'`,
        );
        expect(removed).toHaveLength(1);

        await db.undoLastMigration();
        expect(await rows(db)).toEqual(kept);
        const [{ kind }] = await db.query<{ kind: string }[]>(
          `SELECT relkind AS kind FROM pg_class WHERE oid = 'enforcement.assignments'::regclass`,
        );
        expect(kind).toBe('r');
        expect(await shape(db)).toEqual(was);
      } finally {
        await db.destroy();
      }
    } finally {
      await database.drop();
    }
  });
});
