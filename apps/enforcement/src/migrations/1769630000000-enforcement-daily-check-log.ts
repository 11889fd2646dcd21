import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  addDays,
  addMonths,
  maintainMonthlyPartitions,
  monthStart,
  partitionsOf,
  rangeOfPartition,
} from '@credit/persistence';

/** Days made ahead of the current one by the migration (the maintainer keeps `aheadDays`, decision 0071). */
const AHEAD_DAYS = 7;
const CHECK_LOG = ['enforcement.checks', 'enforcement.check_decisions'];

/** Drops the month partitions of `table` that end after `after` and hold no row; returns their names. */
async function dropEmptyMonths(q: QueryRunner, table: string, after: Date): Promise<string[]> {
  const schema = table.split('.')[0];
  const dropped: string[] = [];
  for (const name of await partitionsOf(q, table)) {
    const range = rangeOfPartition(table, name);
    if (!range || range.to <= after || range.to.getTime() - range.from.getTime() < 28 * 86_400_000) continue;
    const [{ empty }]: { empty: boolean }[] = await q.query(
      `SELECT NOT EXISTS (SELECT 1 FROM ${schema}.${name}) AS empty`,
    );
    if (!empty) continue;
    await q.query(`DROP TABLE ${schema}.${name}`);
    dropped.push(name);
  }
  return dropped;
}

/**
 * Decision 0071: the check log (`checks`, `check_decisions`) by day instead of by month — ~170 M rows a
 * day nationally, so a month is ~5 G rows. No row moves: the months that hold rows stay as they are (the
 * maintainer reads each partition's range from its name and drops a month whole once it is past the
 * retention); the empty months from the current one on (made ahead by 0056) go, and days are made from
 * yesterday to a week ahead wherever no month kept covers them.
 */
export class EnforcementDailyCheckLog1769630000000 implements MigrationInterface {
  name = 'EnforcementDailyCheckLog1769630000000';

  async up(q: QueryRunner): Promise<void> {
    const now = new Date();
    for (const table of CHECK_LOG) {
      await dropEmptyMonths(q, table, monthStart(now));
      // from yesterday: a check of 23:59 written just after midnight lands in its day
      await maintainMonthlyPartitions(q, { table, unit: 'day' }, addDays(now, -1), AHEAD_DAYS + 1);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const now = new Date();
    for (const table of CHECK_LOG) {
      const schema = table.split('.')[0];
      // empty days go; days holding rows stay (the maintainer keeps a table of both units)
      for (const name of await partitionsOf(q, table)) {
        const range = rangeOfPartition(table, name);
        if (!range || range.to.getTime() - range.from.getTime() > 86_400_000) continue;
        const [{ empty }]: { empty: boolean }[] = await q.query(
          `SELECT NOT EXISTS (SELECT 1 FROM ${schema}.${name}) AS empty`,
        );
        if (empty) await q.query(`DROP TABLE ${schema}.${name}`);
      }
      await maintainMonthlyPartitions(q, { table }, addMonths(now, 0), 3);
    }
  }
}
