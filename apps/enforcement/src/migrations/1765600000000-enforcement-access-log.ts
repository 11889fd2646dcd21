import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log (decision 0021): every read of a subject's data in any service, append-only. A trigger
 * refuses DELETE, TRUNCATE and every UPDATE but one: the retention job replacing an identifier by its
 * pseudonym (`anon:…`), nothing else changed.
 */
export class EnforcementAccessLog1765600000000 implements MigrationInterface {
  name = 'EnforcementAccessLog1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE enforcement.access_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      sub text NOT NULL,
      dept text NOT NULL,
      role text NOT NULL,
      subject_id text,
      what text NOT NULL,
      service text NOT NULL
    )`);
    await q.query(`CREATE INDEX access_log_subject ON enforcement.access_log (subject_id, at)`);
    await q.query(`CREATE INDEX access_log_at ON enforcement.access_log (at)`);
    await q.query(`CREATE INDEX access_log_dept ON enforcement.access_log (dept, at)`);
    // a subject asks who checked it: the check log by subject too
    await q.query(`CREATE INDEX checks_subject_time ON enforcement.checks (subject_id, checked_at)`);
    await q.query(`CREATE FUNCTION enforcement.access_log_append_only() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.subject_id LIKE 'anon:%'
           AND (NEW.id, NEW.at, NEW.sub, NEW.dept, NEW.role, NEW.what, NEW.service)
             IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.sub, OLD.dept, OLD.role, OLD.what, OLD.service) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'enforcement.access_log is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON enforcement.access_log
      FOR EACH ROW EXECUTE FUNCTION enforcement.access_log_append_only()`);
    await q.query(`CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON enforcement.access_log
      FOR EACH STATEMENT EXECUTE FUNCTION enforcement.access_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE enforcement.access_log');
    await q.query('DROP FUNCTION enforcement.access_log_append_only()');
    await q.query('DROP INDEX enforcement.checks_subject_time');
  }
}
