import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@credit/auth';
import { notFound, uuidParam } from '@credit/platform';
import { TRIGGER_DB } from '../trigger.tokens';
import { RescreenJob } from './rescreen-job.entity';
import { toRescreenView } from './rescreen.service';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('v1/rescreen-jobs')
export class RescreenController {
  constructor(@Inject(TRIGGER_DB) private readonly db: DataSource) {}

  @Get()
  @Roles('admin', 'supervisor')
  async list() {
    const jobs = await this.db.getRepository(RescreenJob).find({ order: { createdAt: 'DESC' }, take: 100 });
    return { items: jobs.map(toRescreenView), nextCursor: null };
  }

  @Get(':id')
  @Roles('admin', 'supervisor')
  async get(@Param('id', uuidParam('id')) id: string) {
    const job = await this.db.getRepository(RescreenJob).findOneBy({ id });
    if (!job) throw notFound('RESCREEN.NOT_FOUND', `re-screening job ${id} does not exist`);
    return toRescreenView(job);
  }
}
