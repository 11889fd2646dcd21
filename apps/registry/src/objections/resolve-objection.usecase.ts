import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { EventTypes, ListEntryAmendedV1 } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { reissueOnCorrection } from '../documents/document-requests';
import { IssueDocumentsJob } from '../documents/issue-documents.job';
import { endEntry } from '../list-entries/end-entry';
import { loadOwnedEntryForUpdate } from '../list-entries/list-entry.access';
import { ListEntry } from '../list-entries/list-entry.entity';
import { entryMessage, listTypeRef, subjectRef } from '../list-entries/list-entry.events';
import { ListType } from '../list-types/list-type.entity';
import { recordCorrection } from '../publication/publication.hooks';
import { assertPeriodFitsSeverity, periodDays } from '../list-types/severity';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { EntryAmendment } from './entry-amendment.entity';
import { ResolveObjectionDto } from './objection.dto';
import { Objection } from './objection.entity';
import { objectionResolvedMessage } from './objection.events';
import { resolveObjectionStatus } from './objection.state-machine';
import { toObjectionView } from './objection.view';
import { ObjectionErrors } from './objection.errors';
import { ListEntryErrors } from '../list-entries/list-entry.errors';

/**
 * The owning department resolves an objection: upheld (the entry stands), corrected (its facts or
 * period change, with history) or withdrawn (the entry is revoked).
 */
@Injectable()
export class ResolveObjectionUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly documents: IssueDocumentsJob,
  ) {}

  async execute(principal: Principal, objectionId: string, input: ResolveObjectionDto, now = new Date()) {
    if (input.outcome === 'corrected' && !input.correction?.facts && !input.correction?.period) {
      throw new DomainError({
        error: ObjectionErrors.CORRECTION_REQUIRED,
        detail: 'a corrected outcome must say what changes: correction.facts and/or correction.period',
        field: 'correction',
      });
    }
    const view = await this.db.transaction(async (manager) => {
      const found = await manager.findOneBy(Objection, { id: objectionId });
      if (!found)
        throw new DomainError({
          error: ObjectionErrors.NOT_FOUND,
          detail: `objection ${objectionId} does not exist`,
        });
      const entry = await loadOwnedEntryForUpdate(manager, found.entryId, principal);
      const objection = await manager.findOneOrFail(Objection, {
        where: { id: objectionId },
        lock: { mode: 'pessimistic_write' },
      });
      objection.status = resolveObjectionStatus(objection.status, input.outcome);
      objection.resolvedAt = now;
      objection.resolvedBy = principal.sub;
      objection.resolutionNote = input.note;
      await manager.save(objection);

      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      entry.objectionOpen = false;
      if (input.outcome === 'withdrawn') {
        await endEntry(manager, this.messaging.outbox, entry, {
          reason: 'revoked',
          note: `objection ${objection.id} withdrew the entry: ${input.note}`,
          actorDept: principal.dept,
          now,
        });
      } else if (input.outcome === 'corrected') {
        await this.correct(manager, entry, listType, objection, input, principal, now);
      } else {
        await manager.save(entry);
      }
      await this.messaging.outbox.add(manager, [
        objectionResolvedMessage(entry, listType, objection, input.outcome, principal.dept, now),
      ]);
      return toObjectionView(objection, now);
    });
    this.documents.wake();
    return view;
  }

  private async correct(
    manager: EntityManager,
    entry: ListEntry,
    listType: ListType,
    objection: Objection,
    input: ResolveObjectionDto,
    principal: Principal,
    now: Date,
  ) {
    const correction = input.correction!;
    const before = {
      facts: entry.decisionFacts,
      period: { from: entry.periodFrom!.toISOString(), to: entry.periodTo!.toISOString() },
    };
    const changed: string[] = [];
    if (correction.facts !== undefined && correction.facts !== entry.decisionFacts) {
      entry.decisionFacts = correction.facts;
      changed.push('facts');
    }
    if (correction.period) {
      const from = new Date(correction.period.from);
      const to = new Date(correction.period.to);
      if (to <= from) {
        throw new DomainError({
          error: ListEntryErrors.PERIOD_INVALID,
          detail: 'period.to must be after period.from',
          field: 'correction.period.to',
        });
      }
      assertPeriodFitsSeverity(listType.severity, periodDays(from, to), 'correction.period');
      if (from.getTime() !== entry.periodFrom!.getTime() || to.getTime() !== entry.periodTo!.getTime()) {
        entry.periodFrom = from;
        entry.periodTo = to;
        entry.openEnded = false; // a corrected period has an end
        changed.push('period');
      }
    }
    await manager.save(entry);
    if (changed.includes('period'))
      await recordCorrection(manager, this.messaging.outbox, entry, listType, now);
    // the documents served that state a corrected field are issued again (decision 0030)
    await reissueOnCorrection(manager, entry, changed, now);
    const after = {
      facts: entry.decisionFacts,
      period: { from: entry.periodFrom!.toISOString(), to: entry.periodTo!.toISOString() },
    };
    await manager.save(
      manager.create(EntryAmendment, {
        entryId: entry.id,
        objectionId: objection.id,
        changed,
        before,
        after,
        reason: input.note,
        amendedAt: now,
        amendedBy: principal.sub,
      }),
    );
    const data: ListEntryAmendedV1 = {
      entryId: entry.id,
      listType: listTypeRef(listType),
      ownerDept: entry.ownerDept,
      subject: subjectRef(entry),
      period: after.period,
      previousPeriod: before.period,
      changed,
      reason: input.note,
      amendedAt: now.toISOString(),
    };
    await this.messaging.outbox.add(manager, [
      entryMessage(entry, EventTypes.listEntryAmended, data, principal.dept, now),
    ]);
  }
}
