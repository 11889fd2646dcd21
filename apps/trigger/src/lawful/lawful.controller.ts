import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { uuidParam } from '@credit/platform';
import { EffectivePeriodDto, ExcludeMeasureDto } from '../memoranda/memorandum.dto';
import { ExcludeMeasureUseCase } from './exclude-measure.usecase';
import { LawfulQueries } from './lawful.queries';
import { SetEffectivePeriodUseCase } from './set-effective-period.usecase';

const uuid = uuidParam('id');

/** 依法依规, 清单管理, 过惩相当 (decision 0031). */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('v1')
export class LawfulMeasuresController {
  constructor(
    private readonly queries: LawfulQueries,
    private readonly setEffectivePeriodOf: SetEffectivePeriodUseCase,
    private readonly excludeMeasure: ExcludeMeasureUseCase,
  ) {}

  /** The measures in force judged by the rules of lawful measures: what breaks one, what rests on a memorandum only. */
  @Get('measures/legality-report')
  @Roles('admin', 'supervisor')
  legalityReport() {
    return this.queries.legalityReport();
  }

  /** A memorandum's effective period; leaving it lifts what the memorandum issued, entering it issues. */
  @Put('memoranda/:code/effective-period')
  @Roles('admin')
  setEffectivePeriod(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Body() body: EffectivePeriodDto,
  ) {
    return this.setEffectivePeriodOf.execute(principal, code, body);
  }

  /** The owner records that an entry does not take a measure, and why: what it issued is lifted. */
  @Post('list-entries/:id/excluded-measures')
  @HttpCode(201)
  @Roles('initiator')
  exclude(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ExcludeMeasureDto,
  ) {
    return this.excludeMeasure.execute(principal, id, body);
  }

  @Get('list-entries/:id/excluded-measures')
  @Roles('initiator', 'supervisor')
  exclusions(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.queries.exclusions(principal, id);
  }
}
