/**
 * Tables partitioned by month (decision 0056) or by day (decision 0071, the check log at national
 * volume): one partition per calendar month or day (UTC) of a timestamptz column, named `<table>_pYYYYMM`
 * or `<table>_pYYYYMMDD`, plus a DEFAULT partition (`<table>_default`) for rows outside every partition
 * made (an old event replayed, a clock far ahead), so that no write ever fails for want of a partition.
 * Retention drops whole partitions; nothing is DELETEd. A table may hold both units (months made before
 * it went daily): each partition's range is read from its name.
 */

/** What runs SQL: a DataSource, an EntityManager or a QueryRunner. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export type PartitionUnit = 'month' | 'day';

export interface MonthlyPartitionedTable {
  /** `schema.table`, partitioned BY RANGE on one timestamptz column */
  table: string;
  /** the partitions made from now on: a month (the default) or a day each */
  unit?: PartitionUnit;
  /**
   * Whole months kept before the current one: a month's partition is dropped once its end is at least
   * that many months before the start of the current month (daily: of the current day), so no row
   * younger than `retentionMonths` months is ever dropped. Undefined: never dropped (the trail).
   */
  retentionMonths?: number;
}

export interface PartitionPass {
  created: string[];
  dropped: string[];
  /** months that could not be made because the default partition holds rows of them (logged, kept there) */
  blocked: string[];
}

/** The first instant of `at`'s month, UTC. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function addMonths(month: Date, n: number): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + n, 1));
}

/** The first instant of `at`'s day, UTC. */
export function dayStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

export function addDays(day: Date, n: number): Date {
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + n));
}

/** `day` moved by `n` months, the day of the month kept or, past the month's end, its last day (UTC). */
export function addMonthsToDay(day: Date, n: number): Date {
  const first = addMonths(day, n);
  const last = addDays(addMonths(day, n + 1), -1).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(day.getUTCDate(), last)));
}

/** Where the retention cuts: a partition whose end is at or before it holds only rows to drop. */
export function retentionCutoff(now: Date, retentionMonths: number, unit: PartitionUnit): Date {
  return unit === 'day'
    ? addMonthsToDay(dayStart(now), -retentionMonths)
    : addMonths(monthStart(now), -retentionMonths);
}

function split(table: string): { schema: string; name: string } {
  const [schema, name] = table.split('.');
  if (!schema || !name || !/^[a-z_][a-z0-9_]*$/.test(schema) || !/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`not a schema-qualified table: ${table}`);
  return { schema, name };
}

/** `checks_p202612` for December 2026. */
export function monthPartitionName(table: string, month: Date): string {
  const { name } = split(table);
  return `${name}_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month a partition's name stands for; undefined for any other table (the default partition). */
export function monthOfPartition(table: string, partition: string): Date | undefined {
  const { name } = split(table);
  const match = new RegExp(`^${name}_p(\\d{4})(\\d{2})$`).exec(partition);
  if (!match) return undefined;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

/** `checks_p20261203` for 3 December 2026. */
export function dayPartitionName(table: string, day: Date): string {
  return `${monthPartitionName(table, day)}${String(day.getUTCDate()).padStart(2, '0')}`;
}

/** The day a daily partition's name stands for; undefined for a month's or the default partition. */
export function dayOfPartition(table: string, partition: string): Date | undefined {
  const { name } = split(table);
  const match = new RegExp(`^${name}_p(\\d{4})(\\d{2})(\\d{2})$`).exec(partition);
  if (!match) return undefined;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

/** The range a partition's name stands for (a month's or a day's); undefined for the default. */
export function rangeOfPartition(table: string, partition: string): { from: Date; to: Date } | undefined {
  const month = monthOfPartition(table, partition);
  if (month) return { from: month, to: addMonths(month, 1) };
  const day = dayOfPartition(table, partition);
  if (day) return { from: day, to: addDays(day, 1) };
  return undefined;
}

export function createDaySql(table: string, day: Date): string {
  const { schema } = split(table);
  return `CREATE TABLE IF NOT EXISTS ${schema}.${dayPartitionName(table, day)} PARTITION OF ${table}
    FOR VALUES FROM ('${day.toISOString()}') TO ('${addDays(day, 1).toISOString()}')`;
}

export function createMonthSql(table: string, month: Date): string {
  const { schema } = split(table);
  return `CREATE TABLE IF NOT EXISTS ${schema}.${monthPartitionName(table, month)} PARTITION OF ${table}
    FOR VALUES FROM ('${month.toISOString()}') TO ('${addMonths(month, 1).toISOString()}')`;
}

export function createDefaultSql(table: string): string {
  const { schema, name } = split(table);
  return `CREATE TABLE IF NOT EXISTS ${schema}.${name}_default PARTITION OF ${table} DEFAULT`;
}

/** The partitions of a partitioned table, by name. */
export async function partitionsOf(db: SqlRunner, table: string): Promise<string[]> {
  const rows = (await db.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
    [table],
  )) as { name: string }[];
  return rows.map((r) => r.name);
}

/**
 * The months a migration makes when it converts a table: every month from the oldest row's (`oldest`,
 * none: the current month) to `ahead` months after the current one.
 */
export function monthsToCover(oldest: Date | null, now: Date, ahead: number): Date[] {
  const first = monthStart(oldest && oldest < now ? oldest : now);
  const last = addMonths(monthStart(now), ahead);
  const months: Date[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) months.push(m);
  return months;
}

/**
 * One pass for one table: makes the partitions of the current month (day) and the `ahead` next ones that
 * do not exist yet — a day that a month made before holds already is not made again — then drops every
 * partition past the retention. Runs under an advisory lock held by the transaction (`db` must be inside
 * one) so that replicas do not race; `lock_timeout` keeps a DROP from queueing behind a long read (the
 * next pass tries again).
 */
export async function maintainMonthlyPartitions(
  db: SqlRunner,
  spec: MonthlyPartitionedTable,
  now: Date,
  ahead: number,
): Promise<PartitionPass> {
  const { schema, name: table } = split(spec.table);
  const unit = spec.unit ?? 'month';
  const pass: PartitionPass = { created: [], dropped: [], blocked: [] };
  const [{ locked }] = (await db.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [
    `partitions:${spec.table}`,
  ])) as { locked: boolean }[];
  if (!locked) return pass; // another replica is at it
  await db.query(`SET LOCAL lock_timeout = '5s'`);
  const existing = await partitionsOf(db, spec.table);
  const ranges = existing.flatMap((p) => {
    const range = rangeOfPartition(spec.table, p);
    return range ? [range] : [];
  });
  const key = await partitionKey(db, spec.table);
  const first = unit === 'day' ? dayStart(now) : monthStart(now);
  const next = (at: Date, n: number) => (unit === 'day' ? addDays(at, n) : addMonths(at, n));
  for (let i = 0; i <= ahead; i += 1) {
    const from = next(first, i);
    const to = next(from, 1);
    // made already, or within a partition of the other unit (a month kept from before the table went daily)
    if (ranges.some((r) => r.from < to && from < r.to)) continue;
    const name = unit === 'day' ? dayPartitionName(spec.table, from) : monthPartitionName(spec.table, from);
    // the default partition may hold rows of that range (written before it existed): then it cannot be
    // made without moving them, and they stay where they are, found by every query all the same
    const [{ held }] = (await db.query(
      `SELECT EXISTS (SELECT 1 FROM ${schema}.${table}_default WHERE ${key} >= $1 AND ${key} < $2) AS held`,
      [from, to],
    )) as { held: boolean }[];
    if (held) {
      pass.blocked.push(name);
      continue;
    }
    await db.query(unit === 'day' ? createDaySql(spec.table, from) : createMonthSql(spec.table, from));
    pass.created.push(name);
  }
  if (spec.retentionMonths !== undefined) {
    const cutoff = retentionCutoff(now, spec.retentionMonths, unit);
    for (const name of existing) {
      const range = rangeOfPartition(spec.table, name);
      // every row of the partition is older than the cutoff: its end is at or before it
      if (range && range.to <= cutoff) {
        await db.query(`DROP TABLE ${schema}.${name}`);
        pass.dropped.push(name);
      }
    }
  }
  return pass;
}

/** The column a table is partitioned by (one column, RANGE). */
async function partitionKey(db: SqlRunner, table: string): Promise<string> {
  const [row] = (await db.query(
    `SELECT a.attname AS column FROM pg_partitioned_table p
     JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
     WHERE p.partrelid = $1::regclass`,
    [table],
  )) as { column: string }[];
  if (!row) throw new Error(`${table} is not partitioned`);
  return `"${row.column}"`;
}
