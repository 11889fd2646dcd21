import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@credit/auth';
import { PageQueryDto } from '@credit/platform';
import { ChangeListTypeDto, DefineListTypeDto } from './list-type.dto';
import { ListTypeRepository } from './list-type.repository';
import { ChangeListTypeUseCase } from './change-list-type.usecase';
import { DefineListTypeUseCase } from './define-list-type.usecase';
import { ListTypePage, ListTypeView } from './list-type.view';

@ApiTags('list-types')
@ApiBearerAuth()
@Controller('v1/list-types')
export class ListTypesController {
  constructor(
    private readonly listTypes: ListTypeRepository,
    private readonly defineListType: DefineListTypeUseCase,
    private readonly changeListType: ChangeListTypeUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiCreatedResponse({ type: ListTypeView })
  define(@Body() body: DefineListTypeDto) {
    return this.defineListType.execute(body);
  }

  /**
   * Changes a list type's terms (decision 0038): the whole definition but its code, colour and owner. New
   * entries follow the new terms at once; entries already made keep their period and deadlines, and a
   * change of class reaches trigger (its fan-out) as at definition, not the public rows already written.
   */
  @Put(':code')
  @Roles('admin')
  @ApiOkResponse({ type: ListTypeView })
  change(@Param('code') code: string, @Body() body: ChangeListTypeDto) {
    return this.changeListType.execute(code, body);
  }

  @Get(':code')
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  @ApiOkResponse({ type: ListTypeView })
  get(@Param('code') code: string) {
    return this.listTypes.byCode(code);
  }

  @Get()
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  @ApiOkResponse({
    type: ListTypePage,
    description: 'a page of list types (every one when neither cursor nor limit is given)',
  })
  list(@Query() query: PageQueryDto) {
    return this.listTypes.page(query);
  }
}
