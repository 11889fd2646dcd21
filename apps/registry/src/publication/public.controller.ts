import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { Public } from '@credit/auth';
import { metricsRegistry, Quota, ROOT_LOGGER } from '@credit/platform';
import { PUBLICATION_OPTIONS, PublicationOptions } from './publication.options';
import { PublicAnswerCache } from './public-answer-cache';
import { PublicEntriesQueryDto } from './public.dto';
import { PublicEntryQueries } from './public-entries.queries';

const publicQueries = new Counter({
  name: 'credit_public_queries_total',
  help: 'Queries of the public disclosure routes (公示), by route and whether the cache answered',
  labelNames: ['route', 'cache'],
  registers: [metricsRegistry],
});

/**
 * 公示: the public disclosure, without a token. Answers are cached for a short while (an ended entry
 * disappears within the TTL) and counted per client address (QUOTA_PUBLIC_PER_CLIENT, TRUST_PROXY).
 * An anonymous reader sees masked records only: no access-log record per subject, but a metric and a
 * log line without the query's text.
 */
@ApiTags('public disclosure (公示)')
@Controller('public/v1')
export class PublicController {
  private readonly cache: PublicAnswerCache<unknown>;
  private readonly logger: Logger;

  constructor(
    private readonly queries: PublicEntryQueries,
    @Inject(PUBLICATION_OPTIONS) options: PublicationOptions,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.cache = new PublicAnswerCache(options.cacheTtlMs, options.cacheMaxEntries);
    this.logger = logger.child({ service: 'registry', component: 'public' });
  }

  @Get('entries')
  @Public()
  @Quota('public')
  async entries(@Query() query: PublicEntriesQueryDto, @Req() request: { ip: string }) {
    const limit = query.limit ?? 20;
    const key = JSON.stringify([
      'entries',
      query.q?.trim() ?? '',
      query.listType ?? '',
      query.cursor ?? '',
      limit,
    ]);
    const { value, hit } = await this.cache.get(key, () =>
      this.queries.search({ q: query.q, listType: query.listType, cursor: query.cursor, limit }, new Date()),
    );
    publicQueries.inc({ route: 'entries', cache: hit ? 'hit' : 'miss' });
    this.logger.debug(
      {
        client: request.ip,
        search: query.q ? 'q' : 'none',
        listType: query.listType,
        results: (value as { items: unknown[] }).items.length,
        cache: hit ? 'hit' : 'miss',
      },
      'public query',
    );
    return value;
  }

  @Get('list-types')
  @Public()
  @Quota('public')
  async listTypes() {
    const { value, hit } = await this.cache.get('list-types', () => this.queries.listTypes());
    publicQueries.inc({ route: 'list-types', cache: hit ? 'hit' : 'miss' });
    return value;
  }
}
