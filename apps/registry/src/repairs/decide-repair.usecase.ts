import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { requestDocuments } from '../documents/document-requests';
import { IssueDocumentsJob } from '../documents/issue-documents.job';
import { endEntry } from '../list-entries/end-entry';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { loadRepairAsOwner } from './repair.access';
import { DecideRepairDto } from './repair.dto';
import { repairDecidedMessage } from './repair.events';
import { nextRepairStatus } from './repair.state-machine';
import { toRepairView } from './repair.view';

/** An approval ends the entry `repaired` (its lifts fan out); a rejection keeps it, with the reason. */
@Injectable()
export class DecideRepairUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly documents: IssueDocumentsJob,
  ) {}

  async execute(principal: Principal, id: string, input: DecideRepairDto, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const { application, entry, listType } = await loadRepairAsOwner(manager, id, principal);
      application.status = nextRepairStatus(
        application.status,
        input.outcome === 'approved' ? 'approve' : 'reject',
      );
      application.decidedAt = now;
      application.decidedBy = principal.sub;
      application.decisionReason = input.reason ?? null;
      const saved = await manager.save(application);
      await this.messaging.outbox.add(manager, [
        repairDecidedMessage({ application: saved, entry, listType, actorDept: principal.dept }),
      ]);
      await requestDocuments(manager, entry, ['repair_decision'], now, saved.id);
      // an entry that expired while the application waited has nothing left to end
      if (saved.status === 'approved' && entry.status === 'published') {
        await endEntry(manager, this.messaging.outbox, entry, {
          reason: 'repaired',
          note: `repair application ${saved.id} approved${input.reason ? `: ${input.reason}` : ''} (信用修复)`,
          actorDept: principal.dept,
          now,
        });
      }
      return toRepairView(saved, now);
    });
    this.documents.wake();
    return view;
  }
}
