import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { normalizeIdentifier } from '@credit/identifiers';
import { notFound } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { assertMayWatch, lockDepartmentWatchList, WATCH_LIST_MAX } from './watch-list.policy';
import { RecordsAccess } from '@credit/messaging';

class WatchDto {
  @ApiPropertyOptional({ example: '本局许可证持有人' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

class NotificationsQuery {
  @ApiPropertyOptional({ description: 'only notifications after this id (the last one you read)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
}

/** The subjects a department has ongoing business with, and what happened to them since it last looked. */
@ApiTags('watch-list')
@ApiBearerAuth()
@Controller('v1/watch-list')
export class WatchListController {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(WATCH_LIST_MAX) private readonly max: number,
  ) {}

  @RecordsAccess() // who read which subjects goes to the access log
  @Get()
  @Roles('implementer', 'system')
  async list(@CurrentPrincipal() principal: Principal) {
    const items = await this.db.query(
      `SELECT subject_id AS "subjectId", note, added_at AS "addedAt" FROM enforcement.watch_list
       WHERE dept = $1 ORDER BY added_at`,
      [principal.dept],
    );
    return { items, nextCursor: null };
  }

  @RecordsAccess() // who read which subjects goes to the access log
  @Get('notifications')
  @Roles('implementer', 'system')
  async notifications(@CurrentPrincipal() principal: Principal, @Query() query: NotificationsQuery) {
    const items: { id: string }[] = await this.db.query(
      `SELECT id::int AS id, subject_id AS "subjectId", entry_id AS "entryId", event_type AS type, summary, at
       FROM enforcement.watch_notifications WHERE dept = $1 AND id > $2 ORDER BY id LIMIT 500`,
      [principal.dept, query.after ?? 0],
    );
    return { items, nextCursor: null };
  }

  @Put(':subjectId')
  @Roles('implementer', 'system')
  async watch(
    @CurrentPrincipal() principal: Principal,
    @Param('subjectId') raw: string,
    @Body() body: WatchDto,
  ) {
    const subjectId = normalizeIdentifier(raw);
    await this.db.transaction(async (manager) => {
      await lockDepartmentWatchList(manager, principal.dept); // counted and inserted as one step
      await assertMayWatch(manager, principal, subjectId, this.max); // a reason to follow, within the cap
      await manager.query(
        `INSERT INTO enforcement.watch_list (dept, subject_id, note, added_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (dept, subject_id) DO UPDATE SET note = EXCLUDED.note`,
        [principal.dept, subjectId, body.note ?? null, principal.sub],
      );
    });
    return { subjectId, note: body.note ?? null };
  }

  @Delete(':subjectId')
  @HttpCode(204)
  @Roles('implementer', 'system')
  async unwatch(@CurrentPrincipal() principal: Principal, @Param('subjectId') raw: string) {
    const [, count] = await this.db.query(
      'DELETE FROM enforcement.watch_list WHERE dept = $1 AND subject_id = $2',
      [principal.dept, normalizeIdentifier(raw)],
    );
    if (!count) throw notFound('WATCH_LIST.NOT_WATCHED', 'this subject is not on your watch list');
  }

  /** An admin lets a department watch a subject it implements no measure for (e.g. a licensee). */
  @Put('grants/:dept/:subjectId')
  @Roles('admin')
  async grant(
    @CurrentPrincipal() principal: Principal,
    @Param('dept') dept: string,
    @Param('subjectId') raw: string,
  ) {
    const subjectId = normalizeIdentifier(raw);
    await this.db.query(
      `INSERT INTO enforcement.watch_grants (dept, subject_id, granted_by) VALUES ($1, $2, $3)
       ON CONFLICT (dept, subject_id) DO NOTHING`,
      [dept, subjectId, principal.sub],
    );
    return { dept, subjectId };
  }
}
