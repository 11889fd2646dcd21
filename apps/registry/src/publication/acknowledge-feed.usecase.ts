import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { PublicationFeedRepository } from './publication-feed.repository';

/**
 * An external platform acknowledges what it mirrored, up to a position of the feed: from there its next
 * pull without a cursor starts, and the withdrawals before it no longer count as unacknowledged.
 */
@Injectable()
export class AcknowledgeFeedUseCase {
  constructor(private readonly feed: PublicationFeedRepository) {}

  execute(principal: Principal, position: number) {
    return this.feed.acknowledge(principal, position);
  }
}
