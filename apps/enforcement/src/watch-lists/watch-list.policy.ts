import { EntityManager } from 'typeorm';
import { WatchListErrors } from './watch-list.errors';
import { Principal } from '@credit/auth';
import { looksLikeIdNumber } from '@credit/identifiers';
import { DomainError } from '@credit/platform';

export const WATCH_LIST_MAX = Symbol('WATCH_LIST_MAX');
export const DEFAULT_WATCH_LIST_MAX = 10_000;

const PERSON_KINDS = ['individual'];
const ORGANISATION_KINDS = ['legal_person', 'unincorporated_org', 'individual_business'];

/**
 * Who may watch a subject (decision 0020): a department with a reason to follow it — it implements a
 * measure that could reach a subject of its kind (it has been issued an assignment on such a subject or
 * related person: what enforcement knows of the measures a department implements), or an admin granted
 * it this subject — and never more than the configured number of subjects. Call it in the transaction
 * that inserts, after lockDepartmentWatchList: the count is then exact under concurrent requests.
 */
export async function assertMayWatch(
  db: EntityManager,
  principal: Principal,
  subjectId: string,
  max: number,
): Promise<void> {
  const kinds = looksLikeIdNumber(subjectId) ? PERSON_KINDS : ORGANISATION_KINDS;
  const [row]: { reason: boolean; watched: number; already: boolean }[] = await db.query(
    `SELECT EXISTS (SELECT 1 FROM enforcement.watch_grants WHERE dept = $1 AND subject_id = $2)
         OR EXISTS (SELECT 1 FROM enforcement.assignments
                    WHERE dept = $1 AND (subject_kind = ANY($3::text[]) OR target_kind = ANY($3::text[])))
           AS reason,
       (SELECT count(*)::int FROM enforcement.watch_list WHERE dept = $1) AS watched,
       EXISTS (SELECT 1 FROM enforcement.watch_list WHERE dept = $1 AND subject_id = $2) AS already`,
    [principal.dept, subjectId, kinds],
  );
  if (!row.reason)
    throw new DomainError({
      error: WatchListErrors.NO_REASON,
      detail: 'your department implements no measure that could reach this subject, and no admin granted it',
    });
  if (!row.already && row.watched >= max)
    throw new DomainError({
      error: WatchListErrors.FULL,
      detail: `your department already watches ${row.watched} subjects, the most it may (${max})`,
      field: 'subjectId',
    });
}

/**
 * Serialises the watch-list additions of one department until the transaction ends: two requests at the
 * cap cannot both count the same number and both insert (decision 0020). Other departments are not held.
 */
export async function lockDepartmentWatchList(manager: EntityManager, dept: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('enforcement.watch_list'), hashtext($1))`, [
    dept,
  ]);
}
