import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@credit/auth';
import { PageQueryDto } from '@credit/platform';
import { ListTypeAccess } from './list-type-access';
import { ChangeListTypeDto, DefineListTypeDto } from './list-type.dto';
import { ListTypeRepository } from './list-type.repository';

@ApiTags('list-types')
@ApiBearerAuth()
@Controller('v1/list-types')
export class ListTypesController {
  constructor(
    private readonly listTypes: ListTypeRepository,
    private readonly access: ListTypeAccess,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  async define(@Body() body: DefineListTypeDto) {
    const view = await this.listTypes.define(body);
    this.access.wakeRelay();
    return view;
  }

  /**
   * Changes a list type's terms (decision 0038): the whole definition but its code, colour and owner. New
   * entries follow the new terms at once; entries already made keep their period and deadlines, and a
   * change of class reaches trigger (its fan-out) as at definition, not the public rows already written.
   */
  @Put(':code')
  @Roles('admin')
  async change(@Param('code') code: string, @Body() body: ChangeListTypeDto) {
    const view = await this.listTypes.change(code, body);
    this.access.wakeRelay();
    return view;
  }

  @Get(':code')
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  get(@Param('code') code: string) {
    return this.listTypes.byCode(code);
  }

  @Get()
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  list(@Query() query: PageQueryDto) {
    return this.listTypes.page(query);
  }
}
