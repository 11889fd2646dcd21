import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { filerOf } from './repair-party';
import { loadRepairForUpdate, subjectIdsOf } from './repair.access';
import { WithdrawRepairDto } from './repair.dto';
import { repairWithdrawnMessage } from './repair.events';
import { nextRepairStatus } from './repair.state-machine';
import { toRepairView } from './repair.view';

/**
 * 撤回 (decision 0030): the subject, or the counter acting for it, takes back an application not yet
 * decided; it is closed `withdrawn` and none of its deadlines runs any more. A new one may follow.
 */
@Injectable()
export class WithdrawRepairUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(principal: Principal, id: string, input: WithdrawRepairDto, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const { application, entry } = await loadRepairForUpdate(manager, id);
      const filer = filerOf(
        principal,
        { ownerDept: entry.ownerDept, subjectIds: subjectIdsOf(entry) },
        input.onBehalfOf,
      );
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      application.status = nextRepairStatus(application.status, 'withdraw');
      application.closedAt = now;
      application.closedBy = principal.sub;
      application.closeReason = input.reason ?? null;
      if (application.acceptDaysLeft !== null) application.acceptDaysLeft = null; // paused: nothing to resume
      const saved = await manager.save(application);
      await this.messaging.outbox.add(manager, [
        repairWithdrawnMessage(
          { application: saved, entry, listType, actorDept: filer.dept ?? undefined },
          filer,
        ),
      ]);
      return toRepairView(saved, now);
    });
    return view;
  }
}
