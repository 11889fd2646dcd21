import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { normalizeIdentifier } from '@credit/identifiers';
import { WatchListRepository } from './watch-list.repository';
import { GrantWatchUseCase } from './grant-watch.usecase';
import { UnwatchSubjectUseCase } from './unwatch-subject.usecase';
import { WatchSubjectUseCase } from './watch-subject.usecase';
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
    private readonly watchList: WatchListRepository,
    private readonly watchSubject: WatchSubjectUseCase,
    private readonly unwatchSubject: UnwatchSubjectUseCase,
    private readonly grantWatch: GrantWatchUseCase,
  ) {}

  @RecordsAccess() // who read which subjects goes to the access log
  @Get()
  @Roles('implementer', 'system')
  async list(@CurrentPrincipal() principal: Principal) {
    return { items: await this.watchList.listed(principal.dept), nextCursor: null };
  }

  @RecordsAccess() // who read which subjects goes to the access log
  @Get('notifications')
  @Roles('implementer', 'system')
  async notifications(@CurrentPrincipal() principal: Principal, @Query() query: NotificationsQuery) {
    const items = await this.watchList.notificationsAfter(principal.dept, query.after ?? 0);
    return { items, nextCursor: null };
  }

  @Put(':subjectId')
  @Roles('implementer', 'system')
  watch(@CurrentPrincipal() principal: Principal, @Param('subjectId') raw: string, @Body() body: WatchDto) {
    return this.watchSubject.execute(principal, normalizeIdentifier(raw), body.note ?? null);
  }

  @Delete(':subjectId')
  @HttpCode(204)
  @Roles('implementer', 'system')
  async unwatch(@CurrentPrincipal() principal: Principal, @Param('subjectId') raw: string) {
    await this.unwatchSubject.execute(principal, normalizeIdentifier(raw));
  }

  /** An admin lets a department watch a subject it implements no measure for (e.g. a licensee). */
  @Put('grants/:dept/:subjectId')
  @Roles('admin')
  grant(
    @CurrentPrincipal() principal: Principal,
    @Param('dept') dept: string,
    @Param('subjectId') raw: string,
  ) {
    return this.grantWatch.execute(principal, dept, normalizeIdentifier(raw));
  }
}
