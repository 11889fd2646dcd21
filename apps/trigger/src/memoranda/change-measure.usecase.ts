import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@credit/platform';
import { ListTypeAccess } from '../list-types/list-type-access';
import { TRIGGER_DB } from '../trigger.tokens';
import { assertLawful, colourOf, newMeasure } from './catalog';
import { ChangeMeasureDto } from './memorandum.dto';
import { Measure } from './measure.entity';
import { Memorandum } from './memorandum.entity';
import { toMeasureView } from './memorandum.view';
import { MeasureErrors } from './measure.errors';

/**
 * A new version of a measure. Assignments already issued keep the version they were issued under;
 * new ones carry this one.
 */
@Injectable()
export class ChangeMeasureUseCase {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    private readonly listTypes: ListTypeAccess,
  ) {}

  async execute(code: string, body: ChangeMeasureDto) {
    return this.db.transaction(async (manager) => {
      const current = await manager.findOne(Measure, {
        where: { code, current: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current)
        throw new DomainError({
          error: MeasureErrors.NOT_FOUND,
          detail: `measure ${code} does not exist or is retired`,
        });
      const memorandum = await manager.findOneByOrFail(Memorandum, { code: current.memorandumCode });
      assertLawful(body, await colourOf(manager, memorandum));
      current.current = false;
      await manager.save(current);
      const next = await manager.save(
        newMeasure(manager, memorandum, { ...body, code }, current.version + 1),
      );
      if (next.dept !== current.dept) await this.listTypes.announceImplementers(manager, next.listTypes);
      return toMeasureView(next);
    });
  }
}
