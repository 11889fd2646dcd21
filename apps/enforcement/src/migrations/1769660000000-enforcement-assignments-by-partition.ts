import { MigrationInterface, QueryRunner } from 'typeorm';

/** The table partitions (`ASSIGNMENT_TABLE_PARTITIONS`, decision 0080), written here as the migration ran. */
const PARTITIONS = 48;
const TABLE = 'enforcement.assignments';
const BEFORE = 'assignments_before_partitions';

/** The table's indexes but its primary key, and its triggers, as statements that make them again. */
async function definitions(q: QueryRunner): Promise<{ indexes: string[]; triggers: string[] }> {
  const indexes: { indexname: string; indexdef: string }[] = await q.query(
    `SELECT indexname, indexdef FROM pg_indexes
     WHERE schemaname = 'enforcement' AND tablename = 'assignments' AND indexname <> 'assignments_pkey'`,
  );
  const triggers: { def: string }[] = await q.query(
    `SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger
     WHERE tgrelid = '${TABLE}'::regclass AND NOT tgisinternal ORDER BY tgname`,
  );
  return {
    // a partitioned table's index reads "ON ONLY": made on a plain table, it is simply "ON"
    indexes: indexes.map((i) => i.indexdef.replace(' ON ONLY ', ' ON ')),
    triggers: triggers.map((t) => t.def),
  };
}

/** Moves the table aside with its indexes dropped (their names are the schema's): rows only. */
async function setAside(q: QueryRunner): Promise<void> {
  const indexes: { indexname: string }[] = await q.query(
    `SELECT indexname FROM pg_indexes
     WHERE schemaname = 'enforcement' AND tablename = 'assignments' AND indexname <> 'assignments_pkey'`,
  );
  await q.query(`ALTER TABLE ${TABLE} DROP CONSTRAINT assignments_pkey`);
  for (const { indexname } of indexes) await q.query(`DROP INDEX enforcement.${indexname}`);
  await q.query(`ALTER TABLE ${TABLE} RENAME TO ${BEFORE}`);
}

/**
 * Decision 0080: `enforcement.assignments` list-partitioned by `key_partition` (murmur2 of the target
 * at issue % 48), so that a replica's start-up reads the pages of its share of the index and not the
 * whole table (decision 0065 read every page for any share). The key joins the primary key, `(id,
 * key_partition)`: an assignment is inserted with its target's, and a replay of its issue has the same.
 * The rows move once; the indexes and triggers are made again on the partitioned table as they were.
 */
export class EnforcementAssignmentsByPartition1769660000000 implements MigrationInterface {
  name = 'EnforcementAssignmentsByPartition1769660000000';

  async up(q: QueryRunner): Promise<void> {
    const { indexes, triggers } = await definitions(q);
    await setAside(q);
    await q.query(`CREATE TABLE ${TABLE} (
      LIKE enforcement.${BEFORE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE,
      key_partition smallint NOT NULL,
      CONSTRAINT assignments_pkey PRIMARY KEY (id, key_partition)
    ) PARTITION BY LIST (key_partition)`);
    for (let p = 0; p < PARTITIONS; p += 1)
      await q.query(
        `CREATE TABLE enforcement.assignments_k${String(p).padStart(2, '0')} PARTITION OF ${TABLE}
         FOR VALUES IN (${p})`,
      );
    // target_hash is the murmur2 of the target now (the anonymised: of the pseudonym), kept by a trigger
    await q.query(`INSERT INTO ${TABLE}
      SELECT b.*, (enforcement.key_hash(b.target_id) % ${PARTITIONS})::smallint FROM enforcement.${BEFORE} b`);
    for (const sql of indexes) await q.query(sql);
    for (const sql of triggers) await q.query(sql);
    await q.query(`DROP TABLE enforcement.${BEFORE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const { indexes, triggers } = await definitions(q);
    await setAside(q);
    await q.query(`CREATE TABLE ${TABLE} (
      LIKE enforcement.${BEFORE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE,
      CONSTRAINT assignments_pkey PRIMARY KEY (id)
    )`);
    await q.query(`ALTER TABLE ${TABLE} DROP COLUMN key_partition`);
    const columns: { name: string }[] = await q.query(
      `SELECT attname AS name FROM pg_attribute
       WHERE attrelid = '${TABLE}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    const list = columns.map((c) => `"${c.name}"`).join(', ');
    await q.query(`INSERT INTO ${TABLE} (${list}) SELECT ${list} FROM enforcement.${BEFORE}`);
    for (const sql of indexes) await q.query(sql);
    for (const sql of triggers) await q.query(sql);
    await q.query(`DROP TABLE enforcement.${BEFORE}`);
  }
}
