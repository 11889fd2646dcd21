import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@credit/platform';
import { TRIGGER_DB } from '../trigger.tokens';
import { RescreenJob } from './rescreen-job.entity';
import { toRescreenView } from './rescreen-entries.job';
import { RescreenErrors } from './rescreen.errors';

/** 重新筛查: the re-screening jobs as supervisors and admins read them. */
@Injectable()
export class RescreenQueries {
  constructor(@Inject(TRIGGER_DB) private readonly db: DataSource) {}

  /** The 100 newest jobs. */
  async latest() {
    const jobs = await this.db.getRepository(RescreenJob).find({ order: { createdAt: 'DESC' }, take: 100 });
    return { items: jobs.map(toRescreenView), nextCursor: null };
  }

  /** One job; 404 when it does not exist. */
  async byId(id: string) {
    const job = await this.db.getRepository(RescreenJob).findOneBy({ id });
    if (!job)
      throw new DomainError({
        error: RescreenErrors.NOT_FOUND,
        detail: `re-screening job ${id} does not exist`,
      });
    return toRescreenView(job);
  }
}
