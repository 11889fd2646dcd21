import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TRACKING_DB } from '../tracking.tokens';

/** Overdue assignments of one department, kind and level. */
export interface OverdueCount {
  dept: string;
  kind: string;
  level: number;
  count: number;
}

const FOLD_LOCK = 'tracking:overdue-counts-fold';

/**
 * 逾期 counts without counting rows (decision 0056): `overdue_counts` plus the ±1 changes a trigger on
 * `follow_up_assignments` appended since the last fold. Reading costs the departments × kinds × levels
 * and the changes not folded yet, never the overdue rows (4 M nationally).
 */
@Injectable()
export class OverdueCounts {
  constructor(@Inject(TRACKING_DB) private readonly db: DataSource) {}

  /**
   * The counts, optionally for some departments only (`deptCondition`: an SQL condition on `dept` with
   * its parameters from `$1`), zero counts left out.
   */
  async read(deptCondition?: string, params: unknown[] = []): Promise<OverdueCount[]> {
    const rows: { dept: string; kind: string; level: number; count: string }[] = await this.db.query(
      `SELECT dept, kind, level, sum(n) AS count FROM (
         SELECT dept, kind, level, n FROM tracking.overdue_counts
         UNION ALL
         SELECT dept, kind, level, delta FROM tracking.overdue_count_changes) x
       ${deptCondition ? `WHERE ${deptCondition}` : ''}
       GROUP BY dept, kind, level HAVING sum(n) <> 0 ORDER BY dept, kind, level`,
      params,
    );
    return rows.map((r) => ({ dept: r.dept, kind: r.kind, level: Number(r.level), count: Number(r.count) }));
  }

  /**
   * Folds the changes appended so far into the counts, in one statement: the changes a reader sees
   * either still as changes or already in the counts, never both. One replica at a time (advisory lock);
   * returns the changes folded.
   */
  async fold(): Promise<number> {
    return this.db.transaction(async (manager) => {
      const [{ locked }]: { locked: boolean }[] = await manager.query(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [FOLD_LOCK],
      );
      if (!locked) return 0;
      const [{ folded }]: { folded: number }[] = await manager.query(
        `WITH moved AS (
           DELETE FROM tracking.overdue_count_changes RETURNING dept, kind, level, delta),
         summed AS (
           SELECT dept, kind, level, sum(delta) AS d FROM moved GROUP BY dept, kind, level),
         upserted AS (
           INSERT INTO tracking.overdue_counts (dept, kind, level, n)
           SELECT dept, kind, level, d FROM summed
           ON CONFLICT (dept, kind, level) DO UPDATE SET n = overdue_counts.n + EXCLUDED.n
           RETURNING 1)
         SELECT (SELECT count(*) FROM moved)::int AS folded, (SELECT count(*) FROM upserted) AS upserted`,
      );
      await manager.query('DELETE FROM tracking.overdue_counts WHERE n = 0');
      return folded;
    });
  }
}
