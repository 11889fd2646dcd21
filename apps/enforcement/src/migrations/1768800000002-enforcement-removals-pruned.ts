import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision 0056: `assignment_removals` (0055) is pruned. A removal is kept a day (`removed_at`); the
 * highest transaction pruned is kept in `assignment_removals_pruned`, and a backstop pass whose watermark
 * is at or below it can no longer trust the removals it would read: it lists the whole set instead
 * (what it does after too many changes), so a replica that was stuck for longer than a day still learns
 * of every delete.
 */
export class EnforcementRemovalsPruned1768800000002 implements MigrationInterface {
  name = 'EnforcementRemovalsPruned1768800000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE enforcement.assignment_removals ADD COLUMN removed_at timestamptz NOT NULL DEFAULT now()`,
    );
    await q.query(`CREATE INDEX assignment_removals_at ON enforcement.assignment_removals (removed_at)`);
    await q.query(`CREATE TABLE enforcement.assignment_removals_pruned (
      one boolean PRIMARY KEY DEFAULT true CHECK (one),
      -- the highest transaction whose removals were pruned (null: none yet)
      up_to xid8
    )`);
    await q.query(`INSERT INTO enforcement.assignment_removals_pruned (up_to) VALUES (NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE enforcement.assignment_removals_pruned');
    await q.query('DROP INDEX enforcement.assignment_removals_at');
    await q.query('ALTER TABLE enforcement.assignment_removals DROP COLUMN removed_at');
  }
}
