import { MigrationInterface, QueryRunner } from 'typeorm';
import { createDefaultSql, createMonthSql, monthsToCover } from '@credit/persistence';

/** Months made ahead of the current one by the migration (the maintainer keeps it so, decision 0056). */
const AHEAD = 3;

/**
 * Decision 0056: the check log (`checks`, `check_decisions`) and the access log partitioned by month, so
 * that retention drops whole months (the partition maintainer) instead of deleting rows. Each table is
 * made again as a partitioned table under its own name, its rows moved, the old one dropped:
 *
 * - a partitioned table's keys must hold the partition column: `checks` (id, checked_at), `access_log`
 *   (id, at); lookups by id alone go through those indexes (id first), one probe per partition;
 * - `check_decisions` gets its check's `checked_at` and is partitioned by it, month for month with its
 *   checks, so both are dropped together; its foreign key to `checks` goes (a foreign key to a
 *   partitioned table would forbid dropping a month); the decision use case reads the check first;
 * - the access log's append-only triggers are made again on the partitioned table (row triggers reach
 *   every partition; dropping a partition is not a DELETE); its id sequence is kept and moved over.
 */
export class EnforcementPartitionedLogs1768800000000 implements MigrationInterface {
  name = 'EnforcementPartitionedLogs1768800000000';

  async up(q: QueryRunner): Promise<void> {
    const now = new Date();
    const oldest = async (sql: string): Promise<Date | null> => {
      const [{ at }]: { at: Date | null }[] = await q.query(sql);
      return at ? new Date(at) : null;
    };

    // the check log and its decisions
    await q.query(`ALTER TABLE enforcement.check_decisions RENAME TO check_decisions_unpartitioned`);
    await q.query(
      `ALTER INDEX enforcement.check_decisions_pkey RENAME TO check_decisions_unpartitioned_pkey`,
    );
    await q.query(`ALTER TABLE enforcement.checks RENAME TO checks_unpartitioned`);
    await q.query(`ALTER INDEX enforcement.checks_pkey RENAME TO checks_unpartitioned_pkey`);
    await q.query(`ALTER INDEX enforcement.checks_dept_time RENAME TO checks_unpartitioned_dept_time`);
    await q.query(`ALTER INDEX enforcement.checks_subject_time RENAME TO checks_unpartitioned_subject_time`);
    await q.query(`CREATE TABLE enforcement.checks (
      id uuid NOT NULL,
      dept text NOT NULL,
      actor text NOT NULL,
      subject_id text NOT NULL,
      action text NOT NULL,
      stage text,
      decision text NOT NULL,
      reasons jsonb NOT NULL,
      checked_at timestamptz NOT NULL,
      CONSTRAINT checks_pkey PRIMARY KEY (id, checked_at)
    ) PARTITION BY RANGE (checked_at)`);
    await q.query(`CREATE INDEX checks_dept_time ON enforcement.checks (dept, checked_at)`);
    await q.query(`CREATE INDEX checks_subject_time ON enforcement.checks (subject_id, checked_at)`);
    await q.query(`CREATE TABLE enforcement.check_decisions (
      check_id uuid NOT NULL,
      assignment_id uuid NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('applied', 'not_applied')),
      reason text,
      decided_by text NOT NULL,
      decided_at timestamptz NOT NULL,
      checked_at timestamptz NOT NULL,
      CONSTRAINT check_decisions_pkey PRIMARY KEY (check_id, assignment_id, checked_at)
    ) PARTITION BY RANGE (checked_at)`);
    const checkMonths = monthsToCover(
      await oldest(`SELECT min(checked_at) AS at FROM enforcement.checks_unpartitioned`),
      now,
      AHEAD,
    );
    for (const table of ['enforcement.checks', 'enforcement.check_decisions']) {
      for (const month of checkMonths) await q.query(createMonthSql(table, month));
      await q.query(createDefaultSql(table));
    }
    await q.query(`INSERT INTO enforcement.checks
      (id, dept, actor, subject_id, action, stage, decision, reasons, checked_at)
      SELECT id, dept, actor, subject_id, action, stage, decision, reasons, checked_at
      FROM enforcement.checks_unpartitioned`);
    await q.query(`INSERT INTO enforcement.check_decisions
      (check_id, assignment_id, outcome, reason, decided_by, decided_at, checked_at)
      SELECT d.check_id, d.assignment_id, d.outcome, d.reason, d.decided_by, d.decided_at, c.checked_at
      FROM enforcement.check_decisions_unpartitioned d
      JOIN enforcement.checks_unpartitioned c ON c.id = d.check_id`);
    await q.query(`DROP TABLE enforcement.check_decisions_unpartitioned`);
    await q.query(`DROP TABLE enforcement.checks_unpartitioned`);

    // the access log
    await q.query(`ALTER TABLE enforcement.access_log RENAME TO access_log_unpartitioned`);
    await q.query(`ALTER INDEX enforcement.access_log_pkey RENAME TO access_log_unpartitioned_pkey`);
    for (const index of ['access_log_subject', 'access_log_at', 'access_log_dept'])
      await q.query(
        `ALTER INDEX enforcement.${index} RENAME TO ${index.replace('access_log', 'access_log_unpartitioned')}`,
      );
    await q.query(`CREATE TABLE enforcement.access_log (
      id bigint NOT NULL DEFAULT nextval('enforcement.access_log_id_seq'),
      at timestamptz NOT NULL,
      sub text NOT NULL,
      dept text NOT NULL,
      role text NOT NULL,
      subject_id text,
      what text NOT NULL,
      service text NOT NULL,
      CONSTRAINT access_log_pkey PRIMARY KEY (id, at)
    ) PARTITION BY RANGE (at)`);
    await q.query(`ALTER SEQUENCE enforcement.access_log_id_seq OWNED BY enforcement.access_log.id`);
    await q.query(`CREATE INDEX access_log_subject ON enforcement.access_log (subject_id, at)`);
    await q.query(`CREATE INDEX access_log_at ON enforcement.access_log (at)`);
    await q.query(`CREATE INDEX access_log_dept ON enforcement.access_log (dept, at)`);
    const accessMonths = monthsToCover(
      await oldest(`SELECT min(at) AS at FROM enforcement.access_log_unpartitioned`),
      now,
      AHEAD,
    );
    for (const month of accessMonths) await q.query(createMonthSql('enforcement.access_log', month));
    await q.query(createDefaultSql('enforcement.access_log'));
    await q.query(`INSERT INTO enforcement.access_log (id, at, sub, dept, role, subject_id, what, service)
      SELECT id, at, sub, dept, role, subject_id, what, service FROM enforcement.access_log_unpartitioned`);
    await q.query(`DROP TABLE enforcement.access_log_unpartitioned`);
    await q.query(`CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON enforcement.access_log
      FOR EACH ROW EXECUTE FUNCTION enforcement.access_log_append_only()`);
    await q.query(`CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON enforcement.access_log
      FOR EACH STATEMENT EXECUTE FUNCTION enforcement.access_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enforcement.access_log RENAME TO access_log_partitioned`);
    await q.query(`ALTER INDEX enforcement.access_log_pkey RENAME TO access_log_partitioned_pkey`);
    for (const index of ['access_log_subject', 'access_log_at', 'access_log_dept'])
      await q.query(
        `ALTER INDEX enforcement.${index} RENAME TO ${index.replace('access_log', 'access_log_partitioned')}`,
      );
    await q.query(`CREATE TABLE enforcement.access_log (
      id bigint PRIMARY KEY DEFAULT nextval('enforcement.access_log_id_seq'),
      at timestamptz NOT NULL,
      sub text NOT NULL,
      dept text NOT NULL,
      role text NOT NULL,
      subject_id text,
      what text NOT NULL,
      service text NOT NULL
    )`);
    await q.query(`ALTER SEQUENCE enforcement.access_log_id_seq OWNED BY enforcement.access_log.id`);
    await q.query(`INSERT INTO enforcement.access_log SELECT id, at, sub, dept, role, subject_id, what, service
      FROM enforcement.access_log_partitioned`);
    await q.query(`DROP TABLE enforcement.access_log_partitioned`);
    await q.query(`CREATE INDEX access_log_subject ON enforcement.access_log (subject_id, at)`);
    await q.query(`CREATE INDEX access_log_at ON enforcement.access_log (at)`);
    await q.query(`CREATE INDEX access_log_dept ON enforcement.access_log (dept, at)`);
    await q.query(`CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON enforcement.access_log
      FOR EACH ROW EXECUTE FUNCTION enforcement.access_log_append_only()`);
    await q.query(`CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON enforcement.access_log
      FOR EACH STATEMENT EXECUTE FUNCTION enforcement.access_log_append_only()`);

    await q.query(`ALTER TABLE enforcement.check_decisions RENAME TO check_decisions_partitioned`);
    await q.query(`ALTER INDEX enforcement.check_decisions_pkey RENAME TO check_decisions_partitioned_pkey`);
    await q.query(`ALTER TABLE enforcement.checks RENAME TO checks_partitioned`);
    await q.query(`ALTER INDEX enforcement.checks_pkey RENAME TO checks_partitioned_pkey`);
    await q.query(`ALTER INDEX enforcement.checks_dept_time RENAME TO checks_partitioned_dept_time`);
    await q.query(`ALTER INDEX enforcement.checks_subject_time RENAME TO checks_partitioned_subject_time`);
    await q.query(`CREATE TABLE enforcement.checks (
      id uuid PRIMARY KEY,
      dept text NOT NULL,
      actor text NOT NULL,
      subject_id text NOT NULL,
      action text NOT NULL,
      stage text,
      decision text NOT NULL,
      reasons jsonb NOT NULL,
      checked_at timestamptz NOT NULL
    )`);
    await q.query(`INSERT INTO enforcement.checks SELECT id, dept, actor, subject_id, action, stage, decision,
      reasons, checked_at FROM enforcement.checks_partitioned`);
    await q.query(`CREATE INDEX checks_dept_time ON enforcement.checks (dept, checked_at)`);
    await q.query(`CREATE INDEX checks_subject_time ON enforcement.checks (subject_id, checked_at)`);
    await q.query(`CREATE TABLE enforcement.check_decisions (
      check_id uuid NOT NULL REFERENCES enforcement.checks (id),
      assignment_id uuid NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('applied', 'not_applied')),
      reason text,
      decided_by text NOT NULL,
      decided_at timestamptz NOT NULL,
      PRIMARY KEY (check_id, assignment_id)
    )`);
    await q.query(`INSERT INTO enforcement.check_decisions SELECT check_id, assignment_id, outcome, reason,
      decided_by, decided_at FROM enforcement.check_decisions_partitioned`);
    await q.query(`DROP TABLE enforcement.check_decisions_partitioned`);
    await q.query(`DROP TABLE enforcement.checks_partitioned`);
  }
}
