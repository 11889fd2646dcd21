/**
 * Tables partitioned by month (decision 0056): one partition per calendar month (UTC) of a timestamptz
 * column, named `<table>_pYYYYMM`, plus a DEFAULT partition (`<table>_default`) for rows outside every
 * month made (an old event replayed, a clock far ahead), so that no write ever fails for want of a
 * partition. Retention drops whole months; nothing is DELETEd.
 */

/** What runs SQL: a DataSource, an EntityManager or a QueryRunner. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface MonthlyPartitionedTable {
  /** `schema.table`, partitioned BY RANGE on one timestamptz column */
  table: string;
  /**
   * Whole months kept before the current one: a month's partition is dropped once its end is at least
   * that many months before the start of the current month, so no row younger than `retentionMonths`
   * months is ever dropped. Undefined: never dropped (the trail).
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
 * One pass for one table: makes the partitions of the current month and the `ahead` next ones that do
 * not exist yet, then drops every month past the retention. Runs under an advisory lock held by the
 * transaction (`db` must be inside one) so that replicas do not race; `lock_timeout` keeps a DROP from
 * queueing behind a long read (the next pass tries again).
 */
export async function maintainMonthlyPartitions(
  db: SqlRunner,
  spec: MonthlyPartitionedTable,
  now: Date,
  ahead: number,
): Promise<PartitionPass> {
  const { schema } = split(spec.table);
  const pass: PartitionPass = { created: [], dropped: [], blocked: [] };
  const [{ locked }] = (await db.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [
    `partitions:${spec.table}`,
  ])) as { locked: boolean }[];
  if (!locked) return pass; // another replica is at it
  await db.query(`SET LOCAL lock_timeout = '5s'`);
  const existing = new Set(await partitionsOf(db, spec.table));
  const key = await partitionKey(db, spec.table);
  const current = monthStart(now);
  for (let i = 0; i <= ahead; i += 1) {
    const month = addMonths(current, i);
    const name = monthPartitionName(spec.table, month);
    if (existing.has(name)) continue;
    // the default partition may hold rows of that month (written before it existed): then the month
    // cannot be made without moving them, and they stay where they are, found by every query all the same
    const [{ held }] = (await db.query(
      `SELECT EXISTS (SELECT 1 FROM ${schema}.${split(spec.table).name}_default
         WHERE ${key} >= $1 AND ${key} < $2) AS held`,
      [month, addMonths(month, 1)],
    )) as { held: boolean }[];
    if (held) {
      pass.blocked.push(name);
      continue;
    }
    await db.query(createMonthSql(spec.table, month));
    pass.created.push(name);
  }
  if (spec.retentionMonths !== undefined) {
    const cutoff = addMonths(current, -spec.retentionMonths);
    for (const name of existing) {
      const month = monthOfPartition(spec.table, name);
      // every row of the month is older than the cutoff: its end is at or before it
      if (month && addMonths(month, 1) <= cutoff) {
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
