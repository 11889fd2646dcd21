import { Inject, Injectable } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { DataSource, In, MoreThan } from 'typeorm';
import { codePage, codePageOf, DomainError, PageQueryDto } from '@credit/platform';
import { TRIGGER_DB } from '../trigger.tokens';
import { toMeasureView, toMemorandumView } from './memorandum.view';
import { Measure } from './measure.entity';
import { Memorandum } from './memorandum.entity';
import { MemorandumErrors } from './memorandum.errors';
import { MeasureErrors } from './measure.errors';

export class MeasureQueryDto extends PageQueryDto {
  @IsOptional() @IsString() dept?: string;
  @IsOptional() @IsString() listType?: string;
  @IsOptional() @IsString() action?: string;
}

/** 备忘录与措施: the catalogue as every role reads it — memoranda, the measures in force, their versions. */
@Injectable()
export class CatalogQueries {
  constructor(@Inject(TRIGGER_DB) private readonly db: DataSource) {}

  /** Memoranda by code, a page at a time, each with its measures in force. */
  async memoranda(query: PageQueryDto) {
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

  /** One memorandum with its measures in force; 404 when it does not exist. */
  async memorandum(code: string) {
    const memorandum = await this.db.getRepository(Memorandum).findOneBy({ code });
    if (!memorandum)
      throw new DomainError({
        error: MemorandumErrors.NOT_FOUND,
        detail: `memorandum ${code} does not exist`,
      });
    const measures = await this.db
      .getRepository(Measure)
      .find({ where: { memorandumCode: code, current: true }, order: { code: 'ASC' } });
    return toMemorandumView(memorandum, measures);
  }

  /** The measures in force by code, filtered by implementing department, list type or action. */
  async measuresInForce(query: MeasureQueryDto) {
    const page = codePageOf(query);
    const qb = this.db.getRepository(Measure).createQueryBuilder('m').where('m.current').orderBy('m.code');
    if (query.dept) qb.andWhere('m.dept = :dept', { dept: query.dept });
    if (query.listType) qb.andWhere(':listType = ANY(m.list_types)', { listType: query.listType });
    if (query.action) qb.andWhere(':action = ANY(m.actions)', { action: query.action });
    if (page.after !== undefined) qb.andWhere('m.code > :after', { after: page.after });
    if (page.take !== undefined) qb.take(page.take);
    return codePage(await qb.getMany(), page, (m) => m.code, toMeasureView);
  }

  /** Every version of a measure, newest first; 404 when it has none. */
  async versions(code: string) {
    const versions = await this.db
      .getRepository(Measure)
      .find({ where: { code }, order: { version: 'DESC' } });
    if (versions.length === 0)
      throw new DomainError({ error: MeasureErrors.NOT_FOUND, detail: `measure ${code} does not exist` });
    return { items: versions.map(toMeasureView), nextCursor: null };
  }
}
