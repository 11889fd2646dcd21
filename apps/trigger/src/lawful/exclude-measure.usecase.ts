import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isSupervisor, Principal } from '@credit/auth';
import { EventTypes, LIFTABLE_ASSIGNMENT_STATUSES, MeasureExcludedV1, Topics } from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { DomainError, SharedListEntryErrors } from '@credit/platform';
import { Assignment } from '../assignments/assignment.entity';
import { TrackedEntry } from '../assignments/tracked-entry.entity';
import { AssignmentIssuer } from '../fan-out/assignment-issuer';
import { ExcludeMeasureDto } from '../memoranda/memorandum.dto';
import { Measure } from '../memoranda/measure.entity';
import { TRIGGER_DB, TRIGGER_MESSAGING, TRIGGER_SOURCE } from '../trigger.tokens';
import { MeasureExclusion } from './measure-exclusion.entity';
import { toExclusionView } from './measure-exclusion.view';
import { MeasureErrors } from '../memoranda/measure.errors';

/**
 * 过惩相当: the owner of an entry records that it does not take one measure, and why. What the measure
 * issued on the entry is lifted (the departments confirm the lift as for any other), it is not issued
 * again (a re-screening, a corrected period), and the trail records the exclusion.
 */
@Injectable()
export class ExcludeMeasureUseCase {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    @Inject(TRIGGER_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly issuer: AssignmentIssuer,
  ) {}

  async execute(principal: Principal, entryId: string, body: ExcludeMeasureDto) {
    return this.db.transaction(async (manager) => {
      const entry = await manager.findOne(TrackedEntry, {
        where: { entryId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!entry || (entry.ownerDept !== principal.dept && !isSupervisor(principal))) {
        if (entry && entry.infoClass === 'A')
          throw new DomainError({
            error: SharedListEntryErrors.NOT_OWNER,
            detail: `only ${entry.ownerDept} may exclude measures from its entries`,
          });
        throw new DomainError({
          error: SharedListEntryErrors.NOT_FOUND,
          detail: `list entry ${entryId} is not known to trigger`,
        });
      }
      const measure = await manager.findOneBy(Measure, { code: body.measureCode, current: true });
      if (!measure || !measure.listTypes.includes(entry.listType)) {
        throw new DomainError({
          error: MeasureErrors.NOT_FOR_ENTRY,
          detail: `measure ${body.measureCode} is not a measure of list type ${entry.listType}`,
          field: 'measureCode',
        });
      }
      const exists = await manager.findOneBy(MeasureExclusion, { entryId, measureCode: measure.code });
      if (exists) return { ...toExclusionView(exists), lifted: 0, alreadyExcluded: true };
      const at = new Date();
      const exclusion = await manager.save(
        manager.create(MeasureExclusion, {
          entryId,
          measureCode: measure.code,
          reason: body.reason,
          bySub: principal.sub,
          byDept: principal.dept ?? '',
          at,
        }),
      );
      const data: MeasureExcludedV1 = {
        entryId,
        measureCode: measure.code,
        dept: measure.dept,
        ownerDept: entry.ownerDept,
        reason: body.reason,
        by: `${principal.dept}/${principal.sub}`,
        at: at.toISOString(),
      };
      await this.messaging.outbox.add(manager, [
        {
          topic: Topics.assignments,
          key: entry.subjectId,
          event: createCloudEvent({
            type: EventTypes.measureExcluded,
            source: TRIGGER_SOURCE,
            subject: entryId,
            actorDept: principal.dept,
            data,
            time: at,
          }),
        },
      ]);
      const binding = await manager
        .createQueryBuilder(Assignment, 'a')
        .setLock('pessimistic_write')
        .where('a.entry_id = :entryId', { entryId })
        .andWhere('a.measure_code = :code', { code: measure.code })
        .andWhere('a.status IN (:...statuses)', { statuses: LIFTABLE_ASSIGNMENT_STATUSES })
        .getMany();
      const lifted = await this.issuer.lift(
        manager,
        binding,
        `measure ${measure.code} excluded by ${entry.ownerDept} (过惩相当): ${body.reason}`,
        { actorDept: principal.dept, at },
      );
      return { ...toExclusionView(exclusion), lifted, alreadyExcluded: false };
    });
  }
}
