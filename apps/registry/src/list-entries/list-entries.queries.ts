import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { decodeCursor, encodeCursor, PageQueryDto } from '@credit/platform';
import { REGISTRY_DB } from '../registry.tokens';
import { ListEntry } from './list-entry.entity';
import { loadReadableEntry } from './list-entry.read-access';
import { LIST_ENTRY_STATUSES } from './list-entry.state-machine';
import { toListEntryView } from './list-entry.view';

export class ListEntriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LIST_ENTRY_STATUSES })
  @IsOptional()
  @IsIn([...LIST_ENTRY_STATUSES])
  status?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z0-9_]{2,64}$/)
  listType?: string;

  @ApiPropertyOptional({ description: 'created at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'created before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}

/** 名单条目: the entries as the owning department and the readers of one entry read them. */
@Injectable()
export class ListEntryQueries {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  /**
   * The entries of one owning department, newest first, with the console's filters (status, list type,
   * creation period); keyset cursor on (created_at, id).
   */
  async ownedBy(ownerDept: string, query: ListEntriesQueryDto) {
    const limit = query.limit ?? 50;
    const qb = this.db
      .getRepository(ListEntry)
      .createQueryBuilder('e')
      .where('e.owner_dept = :ownerDept', { ownerDept })
      // milliseconds: what the cursor (a JavaScript date) holds
      .orderBy("date_trunc('milliseconds', e.created_at)", 'DESC')
      .addOrderBy('e.id', 'DESC')
      .take(limit + 1);
    if (query.status) qb.andWhere('e.status = :status', { status: query.status });
    if (query.listType) qb.andWhere('e.list_type = :listType', { listType: query.listType });
    if (query.from) qb.andWhere('e.created_at >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('e.created_at < :to', { to: new Date(query.to) });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      qb.andWhere("(date_trunc('milliseconds', e.created_at), e.id) < (:at, :id)", { at: new Date(at), id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toListEntryView),
      nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  /** One entry, for whoever its information class lets read it (404 for anyone else). */
  async readableBy(principal: Principal, id: string) {
    return toListEntryView(await loadReadableEntry(this.db, id, principal));
  }
}
