import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  OnModuleInit,
  Param,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { DataSource, In, MoreThan } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import {
  acceptRawBodies,
  codePage,
  codePageOf,
  notFound,
  PageQueryDto,
  readRawBody,
  validateBody,
  XLSX_MEDIA_TYPE,
} from '@credit/platform';
import { readCatalogWorkbook } from './catalog-workbook';
import { TRIGGER_DB } from '../trigger.tokens';
import { AddMeasureUseCase } from './add-measure.usecase';
import { ChangeMeasureUseCase } from './change-measure.usecase';
import { CreateMemorandumUseCase } from './create-memorandum.usecase';
import { ImportMemorandaUseCase } from './import-memoranda.usecase';
import { toMeasureView, toMemorandumView } from './memorandum.view';
import { RetireMeasureUseCase } from './retire-measure.usecase';
import {
  ChangeMeasureDto,
  CreateMemorandumDto,
  ImportMemorandaDto,
  MeasureDto,
  RetireMeasureDto,
} from './memorandum.dto';
import { Measure } from './measure.entity';
import { Memorandum } from './memorandum.entity';

class MeasureQueryDto extends PageQueryDto {
  @IsOptional() @IsString() dept?: string;
  @IsOptional() @IsString() listType?: string;
  @IsOptional() @IsString() action?: string;
}

const EVERYONE = ['admin', 'supervisor', 'initiator', 'implementer', 'system'] as const;

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('v1')
export class MemorandaController implements OnModuleInit {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
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
    const memoranda = request.headers['content-type']?.startsWith(XLSX_MEDIA_TYPE)
      ? await readCatalogWorkbook(await readRawBody(request.body, 20 * 1024 * 1024))
      : validateBody(ImportMemorandaDto, request.body).memoranda;
    return this.importMemoranda.execute(principal, memoranda);
  }

  @Get('memoranda')
  @Roles(...EVERYONE)
  async list(@Query() query: PageQueryDto) {
    const page = codePageOf(query);
    const memoranda = await this.db.getRepository(Memorandum).find({
      where: page.after !== undefined ? { code: MoreThan(page.after) } : {},
      order: { code: 'ASC' },
      take: page.take,
    });
    const measures = await this.db.getRepository(Measure).find({
      where: { current: true, memorandumCode: In(memoranda.map((m) => m.code)) },
      order: { code: 'ASC' },
    });
    return codePage(
      memoranda,
      page,
      (m) => m.code,
      (m) =>
        toMemorandumView(
          m,
          measures.filter((x) => x.memorandumCode === m.code),
        ),
    );
  }

  @Get('memoranda/:code')
  @Roles(...EVERYONE)
  async get(@Param('code') code: string) {
    const memorandum = await this.db.getRepository(Memorandum).findOneBy({ code });
    if (!memorandum) throw notFound('MEMORANDUM.NOT_FOUND', `memorandum ${code} does not exist`);
    const measures = await this.db
      .getRepository(Measure)
      .find({ where: { memorandumCode: code, current: true }, order: { code: 'ASC' } });
    return toMemorandumView(memorandum, measures);
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
  async measures(@Query() query: MeasureQueryDto) {
    const page = codePageOf(query);
    const qb = this.db.getRepository(Measure).createQueryBuilder('m').where('m.current').orderBy('m.code');
    if (query.dept) qb.andWhere('m.dept = :dept', { dept: query.dept });
    if (query.listType) qb.andWhere(':listType = ANY(m.list_types)', { listType: query.listType });
    if (query.action) qb.andWhere(':action = ANY(m.actions)', { action: query.action });
    if (page.after !== undefined) qb.andWhere('m.code > :after', { after: page.after });
    if (page.take !== undefined) qb.take(page.take);
    return codePage(await qb.getMany(), page, (m) => m.code, toMeasureView);
  }

  /** Every version of a measure, newest first. */
  @Get('measures/:code/versions')
  @Roles(...EVERYONE)
  async versions(@Param('code') code: string) {
    const versions = await this.db
      .getRepository(Measure)
      .find({ where: { code }, order: { version: 'DESC' } });
    if (versions.length === 0) throw notFound('MEASURE.NOT_FOUND', `measure ${code} does not exist`);
    return { items: versions.map(toMeasureView), nextCursor: null };
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
