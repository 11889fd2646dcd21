import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { conflict, notFound } from '@credit/platform';
import { endEntry } from '../list-entries/end-entry';
import { loadOwnedEntryForUpdate } from '../list-entries/list-entry.access';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { DecideRepairDto, SubmitRepairDto } from './repair.dto';
import { RepairApplication } from './repair-application.entity';
import { decideRepair } from './repair.state-machine';

export function toRepairView(r: RepairApplication) {
  return {
    id: r.id,
    entryId: r.entryId,
    ownerDept: r.ownerDept,
    statement: r.statement,
    evidence: r.evidence,
    status: r.status,
    submittedAt: r.submittedAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionNote: r.decisionNote,
  };
}

/** 信用修复: an application on the subject's behalf; approval ends the entry as `repaired`. */
@Injectable()
export class RepairUseCases {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async submit(principal: Principal, entryId: string, input: SubmitRepairDto, now = new Date()) {
    return this.db.transaction(async (manager) => {
      const entry = await loadOwnedEntryForUpdate(manager, entryId, principal);
      if (entry.status !== 'published') {
        throw conflict(
          'REPAIR.ENTRY_NOT_IN_FORCE',
          `only an entry in force can be repaired; this one is ${entry.status}`,
          {
            currentStatus: entry.status,
          },
        );
      }
      if (await manager.existsBy(RepairApplication, { entryId, status: 'pending' })) {
        throw conflict('REPAIR.ALREADY_PENDING', 'a repair application for this entry is already pending');
      }
      const saved = await manager.save(
        manager.create(RepairApplication, {
          id: randomUUID(),
          entryId,
          ownerDept: entry.ownerDept,
          statement: input.statement,
          evidence: input.evidence ?? [],
          status: 'pending',
          submittedAt: now,
          submittedBy: principal.sub,
          decidedAt: null,
          decidedBy: null,
          decisionNote: null,
        }),
      );
      return toRepairView(saved);
    });
  }

  async decide(principal: Principal, id: string, input: DecideRepairDto, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const found = await manager.findOneBy(RepairApplication, { id });
      if (!found) throw notFound('REPAIR.NOT_FOUND', `repair application ${id} does not exist`);
      const entry = await loadOwnedEntryForUpdate(manager, found.entryId, principal);
      const application = await manager.findOneOrFail(RepairApplication, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      application.status = decideRepair(application.status, input.decision);
      application.decidedAt = now;
      application.decidedBy = principal.sub;
      application.decisionNote = input.note ?? null;
      await manager.save(application);
      if (application.status === 'approved') {
        await endEntry(manager, this.messaging.outbox, entry, {
          reason: 'repaired',
          note: `repair application ${application.id} approved${input.note ? `: ${input.note}` : ''}`,
          actorDept: principal.dept,
          now,
        });
      }
      return toRepairView(application);
    });
    this.messaging.relay.wake();
    return view;
  }
}
