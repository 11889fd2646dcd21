import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { RepairDeadlines } from './repair-deadlines';
import { loadRepairAsOwner } from './repair.access';
import { RequestMaterialDto } from './repair.dto';
import { repairMaterialRequestedMessage } from './repair.events';
import { nextRepairStatus } from './repair.state-machine';
import { toRepairView } from './repair.view';

/** 补正: the owner asks for what is missing; the acceptance clock stops until the applicant supplies it. */
@Injectable()
export class RequestRepairMaterialUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly deadlines: RepairDeadlines,
  ) {}

  async execute(principal: Principal, id: string, input: RequestMaterialDto, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const { application, entry, listType } = await loadRepairAsOwner(manager, id, principal);
      application.status = nextRepairStatus(application.status, 'request_material');
      application.acceptDaysLeft = this.deadlines.pause(now, application.acceptDeadline!);
      application.acceptDeadline = null;
      application.materialRequests = [
        ...application.materialRequests,
        {
          missing: input.missing,
          note: input.note ?? null,
          requestedAt: now.toISOString(),
          requestedBy: principal.sub,
          suppliedAt: null,
          suppliedBy: null,
          supplied: null,
        },
      ];
      const saved = await manager.save(application);
      await this.messaging.outbox.add(manager, [
        repairMaterialRequestedMessage(
          { application: saved, entry, listType, actorDept: principal.dept },
          input.missing,
          now,
        ),
      ]);
      return toRepairView(saved, now);
    });
    return view;
  }
}
