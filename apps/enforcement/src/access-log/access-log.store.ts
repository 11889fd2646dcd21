import { AccessRecord } from '@credit/messaging';
import { deptInRegion } from '../access/region-scope';

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Appends access records (already storable: see storableRecord) to the access log, in one statement. */
export async function insertAccessRecords(
  db: Queryable,
  service: string,
  records: readonly AccessRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await db.query(
    // a read recorded before its subject was anonymised may arrive after: it is stored under the pseudonym
    `INSERT INTO enforcement.access_log (at, sub, dept, role, subject_id, what, service)
     SELECT r.at, r.sub, r.dept, r.role, COALESCE(a.pseudonym, r.subject_id), r.what, $7
     FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       AS r(at, sub, dept, role, subject_id, what)
     LEFT JOIN enforcement.anonymised_subjects a ON a.digest = sha256(convert_to(r.subject_id, 'UTF8'))`,
    [
      records.map((r) => r.at),
      records.map((r) => r.sub),
      records.map((r) => r.dept),
      records.map((r) => r.role),
      records.map((r) => r.subjectId ?? null),
      records.map((r) => r.what),
      service,
    ],
  );
}

export interface AccessLogFilter {
  subjectId?: string;
  dept?: string;
  /** only reads by departments of this region (a region's supervisor: decision 0020) */
  region?: string;
  from?: string;
  to?: string;
  /** leave out the subject's own reads of its data */
  staffOnly?: boolean;
  /** the last row of the previous page: its time and id */
  after?: [string, string];
  limit: number;
}

export interface AccessLogRow {
  id: string;
  at: Date;
  sub: string;
  dept: string;
  role: string | null;
  subject_id: string | null;
  what: string;
  service: string;
}

/**
 * The access log as one time line: the recorded reads, and the check log's rows read as access records
 * (a check is a read; it is logged once, in the check log, not twice).
 */
export async function readAccessLog(db: Queryable, filter: AccessLogFilter): Promise<AccessLogRow[]> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const reads: string[] = [];
  const checks: string[] = [];
  if (filter.subjectId) {
    const p = param(filter.subjectId);
    reads.push(`subject_id = ${p}`);
    checks.push(`subject_id = ${p}`);
  }
  if (filter.dept) {
    const p = param(filter.dept);
    reads.push(`dept = ${p}`);
    checks.push(`dept = ${p}`);
  }
  if (filter.region !== undefined) {
    const p = param(filter.region);
    reads.push(deptInRegion('dept', p));
    checks.push(deptInRegion('dept', p));
  }
  if (filter.from) {
    const p = param(filter.from);
    reads.push(`at >= ${p}`);
    checks.push(`checked_at >= ${p}`);
  }
  if (filter.to) {
    const p = param(filter.to);
    reads.push(`at < ${p}`);
    checks.push(`checked_at < ${p}`);
  }
  if (filter.staffOnly) reads.push(`dept <> ''`);
  let after = '';
  if (filter.after) {
    const at = param(filter.after[0]);
    const id = param(filter.after[1]);
    reads.push(`at <= ${at}`);
    checks.push(`checked_at <= ${at}`);
    after = `WHERE (x.at, x.id) < (${at}::timestamptz, ${id})`;
  }
  const where = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');
  const limit = param(filter.limit);
  return (await db.query(
    `SELECT * FROM (
       SELECT 'a' || lpad(id::text, 19, '0') AS id, at, sub, dept, role, subject_id, what, service
       FROM enforcement.access_log ${where(reads)}
       UNION ALL
       SELECT 'c' || id::text, checked_at, actor, dept, NULL, subject_id, 'check ' || action, 'enforcement'
       FROM enforcement.checks ${where(checks)}
     ) x ${after}
     ORDER BY x.at DESC, x.id DESC LIMIT ${limit}`,
    params,
  )) as AccessLogRow[];
}
