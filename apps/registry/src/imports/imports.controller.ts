import { Readable } from 'node:stream';
import { Controller, Get, HttpCode, OnModuleInit, Param, Post, Query, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiBearerAuth, ApiConsumes, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { DomainError, uuidParam } from '@credit/platform';
import { ImportQueries } from './import.queries';
import { ImportListEntriesUseCase } from './import-list-entries.usecase';
import { ImportListEntriesQuery } from './import.dto';
import {
  CSV_MEDIA_TYPE,
  IMPORT_MAX_BYTES,
  importFormatOf,
  unsupportedMediaType,
  XLSX_MEDIA_TYPE,
} from './import-sources';

const IMPORTS_ROUTE = '/v1/list-entries/imports';
/** Fastify instances that already refuse other media types on the import route. */
const GUARDED = new WeakSet<object>();

@ApiTags('list-entries')
@ApiBearerAuth()
@Controller('v1/list-entries/imports')
export class ListEntryImportsController implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queries: ImportQueries,
    private readonly importEntries: ImportListEntriesUseCase,
  ) {}

  /**
   * The upload reaches the handler as the raw request stream (parsed as it arrives, never buffered
   * whole), and any other media type on this route is a 415 with the import's own code.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // idempotent per type: other modules of the same process may take raw uploads of the same types
    for (const type of [CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE]) {
      if (!fastify.hasContentTypeParser(type)) {
        fastify.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
      }
    }
    if (GUARDED.has(fastify)) return;
    GUARDED.add(fastify);
    fastify.addHook('onRequest', async (request) => {
      if (request.method !== 'POST' || request.routeOptions.url !== IMPORTS_ROUTE) return;
      // a caller without a token is told that first (401 from the guard), not what the file should be
      if (!request.headers.authorization) return;
      const contentType = request.headers['content-type'];
      if (!importFormatOf(contentType)) throw unsupportedMediaType(contentType);
    });
  }

  /**
   * 批量导入 a CSV (UTF-8) or XLSX file of decisions; answers when the import is over with its report.
   * To watch progress while uploading, choose the id yourself (`?importId=<uuid>`) and poll
   * `GET /v1/list-entries/imports/{importId}`.
   */
  @Post()
  @HttpCode(201)
  @Roles('initiator')
  @ApiConsumes(CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE)
  @ApiHeader({ name: 'location', description: 'the import record (response header)', required: false })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ImportListEntriesQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const contentType = request.headers['content-type'];
    const format = importFormatOf(contentType);
    const raw = request.body;
    const body = (Buffer.isBuffer(raw) ? Readable.from([raw]) : raw) as AsyncIterable<Buffer> | undefined;
    if (!format || !body || typeof body[Symbol.asyncIterator] !== 'function') {
      throw unsupportedMediaType(contentType);
    }
    if (Number(request.headers['content-length'] ?? 0) > IMPORT_MAX_BYTES) {
      throw new DomainError(
        'IMPORT.TOO_LARGE',
        413,
        `an import file may have at most ${IMPORT_MAX_BYTES} bytes`,
      );
    }
    const report = await this.importEntries.execute(principal, {
      listType: query.listType,
      mode: query.mode,
      importId: query.importId,
      format,
      body,
    });
    void reply.header('location', `${IMPORTS_ROUTE}/${report.id}`);
    return report;
  }

  /** An import's progress while it runs, and its report after. */
  @Get(':id')
  @Roles('initiator', 'supervisor')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam('id')) id: string) {
    return this.queries.readableBy(principal, id);
  }
}
