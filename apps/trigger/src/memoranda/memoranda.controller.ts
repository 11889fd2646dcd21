import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@credit/auth';
import { conflict, notFound, unprocessable } from '@credit/platform';
import { TRIGGER_DB } from '../trigger.tokens';
import { CreateMemorandumDto } from './memorandum.dto';
import { Measure } from './measure.entity';
import { Memorandum } from './memorandum.entity';

@ApiTags('memoranda')
@ApiBearerAuth()
@Controller('v1/memoranda')
export class MemorandaController {
  constructor(@Inject(TRIGGER_DB) private readonly db: DataSource) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  async create(@Body() body: CreateMemorandumDto) {
    const codes = body.measures.map((m) => m.code);
    const repeated = codes.find((c, i) => codes.indexOf(c) !== i);
    if (repeated) {
      throw unprocessable('MEMORANDUM.DUPLICATE_MEASURE', `measure ${repeated} appears twice`, 'measures');
    }
    return this.db.transaction(async (manager) => {
      if (await manager.existsBy(Memorandum, { code: body.code })) {
        throw conflict('MEMORANDUM.ALREADY_EXISTS', `memorandum ${body.code} already exists`);
      }
      const taken = await manager
        .createQueryBuilder(Measure, 'm')
        .where('m.code IN (:...codes)', { codes })
        .getMany();
      if (taken.length > 0) {
        throw conflict(
          'MEASURE.ALREADY_EXISTS',
          `measure codes already used: ${taken.map((m) => m.code).join(', ')}`,
        );
      }
      const memorandum = await manager.save(
        manager.create(Memorandum, {
          code: body.code,
          title: body.title,
          documentNo: body.documentNo,
          listTypes: body.listTypes,
        }),
      );
      const measures = await manager.save(
        body.measures.map((m) =>
          manager.create(Measure, {
            id: randomUUID(),
            memorandumCode: body.code,
            code: m.code,
            version: 1,
            text: m.text,
            kind: m.kind,
            dept: m.dept,
            legalBasis: m.legalBasis,
            listTypes: body.listTypes,
            subjectKinds: m.subjectKinds,
            relatedRoles: m.relatedRoles ?? [],
            actions: m.actions,
            mode: m.mode,
            feedbackWorkingDays: m.feedbackWorkingDays,
            current: true,
          }),
        ),
      );
      return toMemorandumView(memorandum, measures);
    });
  }

  @Get(':code')
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  async get(@Param('code') code: string) {
    const memorandum = await this.db.getRepository(Memorandum).findOneBy({ code });
    if (!memorandum) throw notFound('MEMORANDUM.NOT_FOUND', `memorandum ${code} does not exist`);
    const measures = await this.db
      .getRepository(Measure)
      .find({ where: { memorandumCode: code, current: true }, order: { code: 'ASC' } });
    return toMemorandumView(memorandum, measures);
  }
}

function toMemorandumView(m: Memorandum, measures: Measure[]) {
  return {
    code: m.code,
    title: m.title,
    documentNo: m.documentNo,
    listTypes: m.listTypes,
    createdAt: m.createdAt.toISOString(),
    measures: measures.map((x) => ({
      code: x.code,
      version: x.version,
      text: x.text,
      kind: x.kind,
      dept: x.dept,
      legalBasis: x.legalBasis,
      subjectKinds: x.subjectKinds,
      relatedRoles: x.relatedRoles,
      actions: x.actions,
      mode: x.mode,
      feedbackWorkingDays: x.feedbackWorkingDays,
    })),
  };
}
