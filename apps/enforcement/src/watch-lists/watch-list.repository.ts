import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { assertMayWatch, lockDepartmentWatchList, WATCH_LIST_MAX } from './watch-list.policy';
import { WatchListErrors } from './watch-list.errors';

/** A department's watch list and its notifications: the SQL behind the watch-list routes. */
@Injectable()
export class WatchListRepository {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(WATCH_LIST_MAX) private readonly max: number,
  ) {}

  /** The subjects the department watches, oldest first. */
  listed(dept: string): Promise<unknown[]> {
    return this.db.query(
      `SELECT subject_id AS "subjectId", note, added_at AS "addedAt" FROM enforcement.watch_list
       WHERE dept = $1 ORDER BY added_at`,
      [dept],
    );
  }

  /** What happened to watched subjects after notification `after`, 500 at most. */
  notificationsAfter(dept: string, after: number): Promise<{ id: string }[]> {
    return this.db.query(
      `SELECT id::int AS id, subject_id AS "subjectId", entry_id AS "entryId", event_type AS type, summary, at
       FROM enforcement.watch_notifications WHERE dept = $1 AND id > $2 ORDER BY id LIMIT 500`,
      [dept, after],
    );
  }

  /**
   * Adds (or re-notes) a subject in the caller's transaction, when the department may watch it and is
   * under the cap: the department's list is locked, counted and written as one step.
   */
  async watch(manager: EntityManager, principal: Principal, subjectId: string, note: string | null) {
    await lockDepartmentWatchList(manager, principal.dept);
    await assertMayWatch(manager, principal, subjectId, this.max); // a reason to follow, within the cap
    await manager.query(
      `INSERT INTO enforcement.watch_list (dept, subject_id, note, added_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (dept, subject_id) DO UPDATE SET note = EXCLUDED.note`,
      [principal.dept, subjectId, note, principal.sub],
    );
  }

  /** Removes a watched subject; 404 when it was not watched. */
  async unwatch(dept: string, subjectId: string): Promise<void> {
    const [, count] = await this.db.query(
      'DELETE FROM enforcement.watch_list WHERE dept = $1 AND subject_id = $2',
      [dept, subjectId],
    );
    if (!count)
      throw new DomainError({
        error: WatchListErrors.NOT_WATCHED,
        detail: 'this subject is not on your watch list',
      });
  }

  /** Lets `dept` watch a subject it implements no measure for. */
  async grant(dept: string, subjectId: string, grantedBy: string): Promise<void> {
    await this.db.query(
      `INSERT INTO enforcement.watch_grants (dept, subject_id, granted_by) VALUES ($1, $2, $3)
       ON CONFLICT (dept, subject_id) DO NOTHING`,
      [dept, subjectId, grantedBy],
    );
  }
}
