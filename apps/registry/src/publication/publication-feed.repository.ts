import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { encodeCursor } from '@credit/platform';
import { Department } from '../departments/department.entity';
import { REGISTRY_DB } from '../registry.tokens';
import {
  acknowledge,
  acknowledged,
  feedChanges,
  feedHead,
  FeedItem,
  readFeed,
  unacknowledgedWithdrawals,
} from './publication-feed';

/**
 * The publication feed's reads and acknowledgements as its routes use them (the SQL is in
 * publication-feed.ts, which the sequencer shares).
 */
@Injectable()
export class PublicationFeedRepository {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  /** Whether the department is registered as an external platform (信用中国, the provincial platform). */
  async isExternalPlatform(dept: string): Promise<boolean> {
    const department = await this.db.getRepository(Department).findOneBy({ code: dept });
    return !!department?.externalPlatform;
  }

  /** The position the platform acknowledged last (0 before its first acknowledgement). */
  async acknowledgedBy(dept: string): Promise<number> {
    return (await acknowledged(this.db, dept)).position;
  }

  /** The feed after `after`, in position order, and the position of its end. */
  async after(after: number, limit: number): Promise<{ items: FeedItem[]; head: number }> {
    const items = await readFeed(this.db, after, limit);
    const head = await feedHead(this.db);
    return { items, head };
  }

  /** The position of the feed's end, as the caller's transaction sees it. */
  head(manager: EntityManager): Promise<number> {
    return feedHead(manager);
  }

  /** Records the platform's acknowledgement of the feed up to `position`, in the caller's transaction. */
  acknowledge(manager: EntityManager, principal: Principal, position: number, now: Date) {
    return acknowledge(manager, principal.dept, position, principal.sub, now);
  }

  /** The feed for supervisors, newest first, before `before`, with the withdrawals' reasons. */
  async changes(query: Parameters<typeof feedChanges>[1]) {
    const page = await feedChanges(this.db, query);
    return {
      items: page.items,
      nextCursor: page.more && page.last !== undefined ? encodeCursor([String(page.last)]) : null,
      head: await feedHead(this.db),
    };
  }

  /** The withdrawals a platform has not acknowledged after the grace period. */
  unacknowledged(query: Parameters<typeof unacknowledgedWithdrawals>[1]) {
    return unacknowledgedWithdrawals(this.db, query);
  }
}
