import { Body, Controller, Get, HttpCode, OnModuleInit, Param, Post, Put, Query, Req } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { acceptRawBodies, PageQueryDto, readRawBody, validateBody, XLSX_MEDIA_TYPE } from '@credit/platform';
import { CatalogQueries, MeasureQueryDto } from './catalog.queries';
import { AddMeasureUseCase } from './add-measure.usecase';
import { ChangeMeasureUseCase } from './change-measure.usecase';
import { CreateMemorandumUseCase } from './create-memorandum.usecase';
import { ImportMemorandaUseCase } from './import-memoranda.usecase';
import { RetireMeasureUseCase } from './retire-measure.usecase';
import {
  ChangeMeasureDto,
  CreateMemorandumDto,
  ImportMemorandaDto,
  MeasureDto,
  RetireMeasureDto,
} from './memorandum.dto';

const EVERYONE = ['admin', 'supervisor', 'initiator', 'implementer', 'system'] as const;

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('v1')
export class MemorandaController implements OnModuleInit {
  constructor(
    private readonly queries: CatalogQueries,
    private readonly createMemorandum: CreateMemorandumUseCase,
    private readonly importMemoranda: ImportMemorandaUseCase,
    private readonly addMeasureTo: AddMeasureUseCase,
    private readonly changeMeasure: ChangeMeasureUseCase,
    private readonly retireMeasure: RetireMeasureUseCase,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    acceptRawBodies(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), [XLSX_MEDIA_TYPE]);
  }

  @Post('memoranda')
  @HttpCode(201)
  @Roles('admin')
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateMemorandumDto) {
    return this.createMemorandum.execute(principal, body);
  }

  /**
   * Several memoranda at once, all or nothing: JSON `{ memoranda: [...] }` (each in the shape of
   * POST /v1/memoranda), or an XLSX workbook with one row per measure (see catalog-workbook.ts).
   */
  @Post('memoranda/import')
  @HttpCode(201)
  @Roles('admin')
  @ApiConsumes('application/json', XLSX_MEDIA_TYPE)
  @ApiBody({ type: ImportMemorandaDto })
  async import(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const input = request.headers['content-type']?.startsWith(XLSX_MEDIA_TYPE)
      ? { workbook: await readRawBody(request.body, 20 * 1024 * 1024) }
      : { memoranda: validateBody(ImportMemorandaDto, request.body).memoranda };
    return this.importMemoranda.execute(principal, input);
  }

  @Get('memoranda')
  @Roles(...EVERYONE)
  list(@Query() query: PageQueryDto) {
    return this.queries.memoranda(query);
  }

  @Get('memoranda/:code')
  @Roles(...EVERYONE)
  get(@Param('code') code: string) {
    return this.queries.memorandum(code);
  }

  @Post('memoranda/:code/measures')
  @HttpCode(201)
  @Roles('admin')
  addMeasure(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Body() body: MeasureDto,
  ) {
    return this.addMeasureTo.execute(principal, code, body);
  }

  /** The measures in force, e.g. what one department implements (`dept=`) or what governs an action. */
  @Get('measures')
  @Roles(...EVERYONE)
  measures(@Query() query: MeasureQueryDto) {
    return this.queries.measuresInForce(query);
  }

  /** Every version of a measure, newest first. */
  @Get('measures/:code/versions')
  @Roles(...EVERYONE)
  versions(@Param('code') code: string) {
    return this.queries.versions(code);
  }

  @Put('measures/:code')
  @Roles('admin')
  change(@Param('code') code: string, @Body() body: ChangeMeasureDto) {
    return this.changeMeasure.execute(code, body);
  }

  @Post('measures/:code/retire')
  @HttpCode(200)
  @Roles('admin')
  retire(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Body() body: RetireMeasureDto,
  ) {
    return this.retireMeasure.execute(principal, code, body);
  }
}
