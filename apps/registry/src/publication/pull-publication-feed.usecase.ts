import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { encodeCursor } from '@credit/platform';
import { PublicationFeedRepository } from './publication-feed.repository';
import { PublicationFeedSequencer } from './publication-feed.sequencer';

/**
 * An external platform pulls the feed after a position: its cursor's, or without one the position it last
 * acknowledged. What committed a moment ago is sequenced first, so it is in this answer and not only
 * after the next periodic pass (an import's entries reach 信用中国 on the pull that follows it).
 */
@Injectable()
export class PullPublicationFeedUseCase {
  constructor(
    private readonly feed: PublicationFeedRepository,
    private readonly sequencer: PublicationFeedSequencer,
  ) {}

  async execute(principal: Principal, after: number | undefined, limit: number) {
    await this.sequencer.pass();
    const from = after ?? (await this.feed.acknowledgedBy(principal.dept));
    const { items, head } = await this.feed.after(from, limit);
    const last = items.length > 0 ? items[items.length - 1].position : from;
    return { items, nextCursor: encodeCursor([String(last)]), caughtUp: last >= head };
  }
}
