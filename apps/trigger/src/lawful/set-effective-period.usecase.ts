import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { toMemorandumView } from '../memoranda/memorandum.view';
import { EffectivePeriodDto } from '../memoranda/memorandum.dto';
import { Measure } from '../memoranda/measure.entity';
import { Memorandum } from '../memoranda/memorandum.entity';
import { RescreenEntriesJob } from '../rescreen/rescreen-entries.job';
import { TRIGGER_DB } from '../trigger.tokens';
import { MemorandumWindowJob } from './memorandum-window.job';
import { MemorandumErrors } from '../memoranda/memorandum.errors';

/**
 * An admin changes a memorandum's effective period (a revision, an extension, a repeal): it takes
 * effect at once — leaving the window lifts what it issued, entering it issues (decision 0031).
 */
@Injectable()
export class SetEffectivePeriodUseCase {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    private readonly window: MemorandumWindowJob,
    private readonly rescreen: RescreenEntriesJob,
  ) {}

  async execute(principal: Principal, code: string, body: EffectivePeriodDto) {
    if (body.effectiveTo !== undefined && body.effectiveTo < body.effectiveFrom) {
      throw new DomainError({
        error: MemorandumErrors.PERIOD_REVERSED,
        detail: `effectiveTo ${body.effectiveTo} is before effectiveFrom ${body.effectiveFrom}`,
        field: 'effectiveTo',
      });
    }
    const result = await this.db.transaction(async (manager) => {
      const memorandum = await manager.findOne(Memorandum, {
        where: { code },
        lock: { mode: 'pessimistic_write' },
      });
      if (!memorandum)
        throw new DomainError({
          error: MemorandumErrors.NOT_FOUND,
          detail: `memorandum ${code} does not exist`,
        });
      memorandum.effectiveFrom = body.effectiveFrom;
      memorandum.effectiveTo = body.effectiveTo ?? null;
      await manager.save(memorandum);
      const moved = await this.window.settle(
        manager,
        memorandum,
        new Date(),
        `${principal.dept}/${principal.sub}: ${body.reason}`,
      );
      const measures = await manager.findBy(Measure, { memorandumCode: code, current: true });
      return {
        ...toMemorandumView(memorandum, measures),
        windowAction: moved?.action ?? 'none',
        rescreenJobId: moved?.jobId ?? null,
      };
    });
    this.rescreen.wake();
    return result;
  }
}
