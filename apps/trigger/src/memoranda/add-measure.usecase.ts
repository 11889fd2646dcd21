import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { ListTypeAccess } from '../list-types/list-type-access';
import { RescreenEntriesJob, toRescreenView } from '../rescreen/rescreen-entries.job';
import { TRIGGER_DB } from '../trigger.tokens';
import { assertCodesFree, assertLawful, colourOf, newMeasure } from './catalog';
import { MeasureDto } from './memorandum.dto';
import { Memorandum } from './memorandum.entity';
import { toMeasureView } from './memorandum.view';
import { MemorandumErrors } from './memorandum.errors';

/** A measure added to a memorandum reaches the entries already in force through a re-screening. */
@Injectable()
export class AddMeasureUseCase {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    private readonly rescreen: RescreenEntriesJob,
    private readonly listTypes: ListTypeAccess,
  ) {}

  async execute(principal: Principal, memorandumCode: string, body: MeasureDto) {
    const result = await this.db.transaction(async (manager) => {
      const memorandum = await manager.findOneBy(Memorandum, { code: memorandumCode });
      if (!memorandum)
        throw new DomainError({
          error: MemorandumErrors.NOT_FOUND,
          detail: `memorandum ${memorandumCode} does not exist`,
        });
      await assertCodesFree(manager, [body.code]);
      assertLawful(body, await colourOf(manager, memorandum));
      const measure = await manager.save(newMeasure(manager, memorandum, body, 1));
      const job = await this.rescreen.enqueue(
        manager,
        'issue',
        [measure],
        `measure ${measure.code} added`,
        principal.sub,
      );
      await this.listTypes.announceImplementers(manager, memorandum.listTypes);
      return { ...toMeasureView(measure), rescreenJob: toRescreenView(job) };
    });
    this.rescreen.wake();
    return result;
  }
}
