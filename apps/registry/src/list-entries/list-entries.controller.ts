import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { uuidParam } from '@credit/platform';
import { CreateListEntryUseCase } from './create-list-entry.usecase';
import { EndListEntryUseCase } from './end-list-entry.usecase';
import { ENTRY_READERS } from './list-entry.read-access';
import {
  CreateListEntryDto,
  EndListEntryDto,
  ExtendListEntryDto,
  NoticeListEntryDto,
} from './list-entry.dto';
import { ExtendListEntryUseCase } from './extend-list-entry.usecase';
import { ListEntriesQueryDto, ListEntryQueries } from './list-entries.queries';
import { NoticeListEntryUseCase } from './notice-list-entry.usecase';
import { PublishListEntryUseCase } from './publish-list-entry.usecase';
import { RecordsAccess } from '@credit/messaging';

const uuid = uuidParam('id');

@ApiTags('list-entries')
@ApiBearerAuth()
@Controller('v1/list-entries')
export class ListEntriesController {
  constructor(
    private readonly queries: ListEntryQueries,
    private readonly createEntry: CreateListEntryUseCase,
    private readonly noticeEntry: NoticeListEntryUseCase,
    private readonly publishEntry: PublishListEntryUseCase,
    private readonly endEntry: EndListEntryUseCase,
    private readonly extendEntry: ExtendListEntryUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('initiator')
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateListEntryDto) {
    return this.createEntry.execute(principal, body);
  }

  /** The caller's department's own entries, newest first, filtered (the console's list). */
  @RecordsAccess()
  @Get()
  @Roles('initiator')
  search(@CurrentPrincipal() principal: Principal, @Query() query: ListEntriesQueryDto) {
    return this.queries.ownedBy(principal.dept!, query);
  }

  @Post(':id/notice')
  @HttpCode(200)
  @Roles('initiator')
  notice(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: NoticeListEntryDto = {},
  ) {
    return this.noticeEntry.execute(principal, id, body);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('initiator')
  publish(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.publishEntry.execute(principal, id);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles('initiator')
  end(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: EndListEntryDto,
  ) {
    return this.endEntry.execute(principal, id, body);
  }

  /** 延长公示期: extend a published entry's period by a document of its own (list types that allow it). */
  @Post(':id/extensions')
  @HttpCode(201)
  @Roles('initiator')
  extend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ExtendListEntryDto,
  ) {
    return this.extendEntry.execute(principal, id, body);
  }

  /** One entry, for whoever its information class lets read it (404 for anyone else). */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get(':id')
  @Roles(...ENTRY_READERS)
  async get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.queries.readableBy(principal, id);
  }
}
