import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { answerChecklist, ConditionInput } from './repair-checklist';
import { RepairDeadlines } from './repair-deadlines';
import { filerOf } from './repair-party';
import { loadRepairForUpdate, subjectIdsOf } from './repair.access';
import { SupplyMaterialDto } from './repair.dto';
import { repairMaterialSuppliedMessage } from './repair.events';
import { nextRepairStatus } from './repair.state-machine';
import { toRepairView } from './repair.view';

/** The applicant supplies what the owner asked for; the acceptance clock runs again for the days left. */
@Injectable()
export class SupplyRepairMaterialUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly deadlines: RepairDeadlines,
  ) {}

  async execute(principal: Principal, id: string, input: SupplyMaterialDto, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const { application, entry } = await loadRepairForUpdate(manager, id);
      filerOf(principal, { ownerDept: entry.ownerDept, subjectIds: subjectIdsOf(entry) }, input.onBehalfOf);
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      application.status = nextRepairStatus(application.status, 'supply_material');
      if (input.conditions) {
        const answers = new Map<string, ConditionInput>(
          application.conditions.map((c) => [
            c.code,
            { code: c.code, met: c.met, evidence: c.evidence ?? undefined },
          ]),
        );
        for (const c of input.conditions) answers.set(c.code, c);
        application.conditions = answerChecklist(
          application.conditions.map(({ code, text }) => ({ code, text })),
          [...answers.values()],
        );
      }
      application.acceptDeadline = this.deadlines.resume(now, application.acceptDaysLeft ?? 1);
      application.acceptDaysLeft = null;
      const requests = [...application.materialRequests];
      requests[requests.length - 1] = {
        ...requests[requests.length - 1],
        suppliedAt: now.toISOString(),
        suppliedBy: principal.sub,
        supplied: input.material,
      };
      application.materialRequests = requests;
      const saved = await manager.save(application);
      await this.messaging.outbox.add(manager, [
        repairMaterialSuppliedMessage(
          { application: saved, entry, listType, actorDept: principal.dept || undefined },
          now,
        ),
      ]);
      return toRepairView(saved, now);
    });
    return view;
  }
}
