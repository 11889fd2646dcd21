import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { REGISTRY_DB } from '../registry.tokens';
import { PublicationFeedRepository } from './publication-feed.repository';
import { PublicationErrors } from './publication.errors';

/**
 * An external platform acknowledges what it mirrored, up to a position of the feed: from there its next
 * pull without a cursor starts, and the withdrawals before it no longer count as unacknowledged. A
 * position beyond the feed's end is refused (422): nothing there was mirrored.
 */
@Injectable()
export class AcknowledgeFeedUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly feed: PublicationFeedRepository,
  ) {}

  execute(principal: Principal, position: number, now = new Date()) {
    return this.db.transaction(async (manager) => {
      if (position > (await this.feed.head(manager))) {
        throw new DomainError({
          error: PublicationErrors.ACK_BEYOND_FEED,
          detail: `position ${position} is beyond the end of the feed`,
          field: 'position',
        });
      }
      return { dept: principal.dept, ...(await this.feed.acknowledge(manager, principal, position, now)) };
    });
  }
}
