import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@credit/auth';
import { uuidParam } from '@credit/platform';
import { RescreenQueries } from './rescreen.queries';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('v1/rescreen-jobs')
export class RescreenController {
  constructor(private readonly jobs: RescreenQueries) {}

  @Get()
  @Roles('admin', 'supervisor')
  list() {
    return this.jobs.latest();
  }

  @Get(':id')
  @Roles('admin', 'supervisor')
  get(@Param('id', uuidParam('id')) id: string) {
    return this.jobs.byId(id);
  }
}
