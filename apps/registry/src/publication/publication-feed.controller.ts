import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { decodeCursor, DomainError } from '@credit/platform';
import { PublicationFeedRepository } from './publication-feed.repository';
import {
  AcknowledgeFeedDto,
  FeedChangesQueryDto,
  PublicationFeedQueryDto,
  UnacknowledgedQueryDto,
} from './publication-feed.dto';
import { PUBLICATION_OPTIONS, PublicationOptions } from './publication.options';
import { PublicationErrors } from './publication.errors';
import { AcknowledgeFeedUseCase } from './acknowledge-feed.usecase';
import { PullPublicationFeedUseCase } from './pull-publication-feed.usecase';

/**
 * The publication feed for external platforms (信用中国, the provincial platform): every publication and
 * withdrawal, in order, from a cursor; the platform acknowledges what it mirrored, and supervisors see
 * the withdrawals a platform has not acknowledged after the grace period.
 */
@ApiTags('publication feed')
@ApiBearerAuth()
@Controller('v1/publication-feed')
export class PublicationFeedController {
  constructor(
    private readonly feed: PublicationFeedRepository,
    @Inject(PUBLICATION_OPTIONS) private readonly options: PublicationOptions,
    private readonly pullFeed: PullPublicationFeedUseCase,
    private readonly acknowledgeFeed: AcknowledgeFeedUseCase,
  ) {}

  @Get()
  @Roles('system')
  async pull(@CurrentPrincipal() principal: Principal, @Query() query: PublicationFeedQueryDto) {
    await this.assertExternalPlatform(principal);
    const after = query.cursor ? positionOf(query.cursor) : undefined;
    return this.pullFeed.execute(principal, after, query.limit ?? 500);
  }

  @Post('ack')
  @HttpCode(200)
  @Roles('system')
  async ack(@CurrentPrincipal() principal: Principal, @Body() body: AcknowledgeFeedDto) {
    await this.assertExternalPlatform(principal);
    return this.acknowledgeFeed.execute(principal, body.position);
  }

  /** The feed for supervisors (the console's 公示动态): newest first, with the withdrawals' reasons. */
  @Get('changes')
  @Roles('supervisor')
  async changes(@Query() query: FeedChangesQueryDto) {
    const before = query.cursor ? positionOf(query.cursor) : undefined;
    return this.feed.changes({ before, kind: query.kind, limit: query.limit ?? 50 });
  }

  @Get('unacknowledged')
  @Roles('supervisor')
  async unacknowledged(@Query() query: UnacknowledgedQueryDto) {
    const graceMs = query.graceSeconds !== undefined ? query.graceSeconds * 1000 : this.options.ackGraceMs;
    const items = await this.feed.unacknowledged({
      dept: query.dept,
      graceMs,
      limit: query.limit ?? 500,
      now: new Date(),
    });
    return { items, nextCursor: null, graceSeconds: graceMs / 1000 };
  }

  private async assertExternalPlatform(principal: Principal): Promise<void> {
    if (!(await this.feed.isExternalPlatform(principal.dept))) {
      throw new DomainError({
        error: PublicationErrors.NOT_AN_EXTERNAL_PLATFORM,
        detail: `department ${principal.dept} is not registered as an external platform (externalPlatform)`,
      });
    }
  }
}

function positionOf(cursor: string): number {
  const [position] = decodeCursor(cursor);
  const value = Number(position);
  if (!Number.isSafeInteger(value) || value < 0) decodeCursor('!'); // throws the cursor's 400
  return value;
}
