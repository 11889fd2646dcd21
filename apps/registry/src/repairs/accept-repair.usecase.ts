import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { repairTermsOf } from '../list-types/repair-terms';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { RepairDeadlines } from './repair-deadlines';
import { loadRepairAsOwner } from './repair.access';
import { repairAcceptedMessage } from './repair.events';
import { nextRepairStatus } from './repair.state-machine';
import { toRepairView } from './repair.view';

/** 受理: the owner accepts an application; the decision is due within the list type's working days. */
@Injectable()
export class AcceptRepairUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly deadlines: RepairDeadlines,
  ) {}

  async execute(principal: Principal, id: string, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const { application, entry, listType } = await loadRepairAsOwner(manager, id, principal);
      application.status = nextRepairStatus(application.status, 'accept');
      const acceptDeadline = application.acceptDeadline!;
      application.acceptedAt = now;
      application.acceptedBy = principal.sub;
      application.decideDeadline = this.deadlines.decideBy(now, repairTermsOf(listType).decideWorkingDays);
      const saved = await manager.save(application);
      await this.messaging.outbox.add(manager, [
        repairAcceptedMessage(
          { application: saved, entry, listType, actorDept: principal.dept },
          acceptDeadline,
        ),
      ]);
      return toRepairView(saved, now);
    });
    return view;
  }
}
