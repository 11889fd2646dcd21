import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { ListTypeAccess } from '../list-types/list-type-access';
import { RescreenEntriesJob, toRescreenView } from '../rescreen/rescreen-entries.job';
import { TRIGGER_DB } from '../trigger.tokens';
import { RetireMeasureDto } from './memorandum.dto';
import { Measure } from './measure.entity';
import { toMeasureView } from './memorandum.view';
import { MeasureErrors } from './measure.errors';

/** A retired measure lets go of the entries it reached, through a re-screening that lifts. */
@Injectable()
export class RetireMeasureUseCase {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    private readonly rescreen: RescreenEntriesJob,
    private readonly listTypes: ListTypeAccess,
  ) {}

  async execute(principal: Principal, code: string, body: RetireMeasureDto) {
    const result = await this.db.transaction(async (manager) => {
      const current = await manager.findOne(Measure, {
        where: { code, current: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current)
        throw new DomainError({
          error: MeasureErrors.NOT_FOUND,
          detail: `measure ${code} does not exist or is already retired`,
        });
      current.current = false;
      current.retiredAt = new Date();
      await manager.save(current);
      const versions = await manager.findBy(Measure, { code });
      const job = await this.rescreen.enqueue(
        manager,
        'lift',
        versions,
        `measure ${code} retired: ${body.reason}`,
        principal.sub,
      );
      await this.listTypes.announceImplementers(manager, current.listTypes);
      return { ...toMeasureView(current), rescreenJob: toRescreenView(job) };
    });
    this.rescreen.wake();
    return result;
  }
}
