import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { EventTypes, ListEntryAmendedV1 } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { reissueOnCorrection } from '../documents/document-requests';
import { IssueDocumentsJob } from '../documents/issue-documents.job';
import { EntryAmendment } from '../objections/entry-amendment.entity';
import { ListType } from '../list-types/list-type.entity';
import { extendedPeriodTo } from '../list-types/periods';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { loadOwnedEntryForUpdate } from './list-entry.access';
import { ExtendListEntryDto } from './list-entry.dto';
import { entryMessage, listTypeRef, periodRef, subjectRef } from './list-entry.events';
import { ListEntryErrors } from './list-entry.errors';

/**
 * 延长公示期: the owning department extends a published entry's period by a document of its own (the
 * court list: two years, extendable by one to three). An amendment like a correction: its own record in
 * the entry's amendments and the `amended` event, on which trigger re-issues the measures with the new end.
 */
@Injectable()
export class ExtendListEntryUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly documents: IssueDocumentsJob,
  ) {}

  async execute(principal: Principal, id: string, input: ExtendListEntryDto, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const entry = await loadOwnedEntryForUpdate(manager, id, principal);
      if (entry.status !== 'published') {
        throw new DomainError({
          error: ListEntryErrors.TRANSITION_NOT_ALLOWED,
          detail: `only an entry in force can be extended; this one is ${entry.status} (仅公示中的条目可延长)`,
          extra: { currentStatus: entry.status, command: 'extend' },
        });
      }
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      const previousPeriod = periodRef(entry);
      entry.periodTo = extendedPeriodTo(
        listType,
        { periodTo: entry.periodTo!, openEnded: entry.openEnded, extensions: entry.extensions },
        input.days,
      );
      entry.extensions += 1;
      await manager.save(entry);
      const period = periodRef(entry);
      const extension = {
        documentNo: input.document.documentNo,
        date: input.document.date,
        days: input.days,
      };
      const amendment = await manager.save(
        manager.create(EntryAmendment, {
          entryId: entry.id,
          objectionId: null,
          changed: ['period'],
          before: { period: previousPeriod },
          after: { period, extension },
          reason: input.reason,
          amendedAt: now,
          amendedBy: principal.sub,
        }),
      );
      const data: ListEntryAmendedV1 = {
        entryId: entry.id,
        listType: listTypeRef(listType),
        ownerDept: entry.ownerDept,
        subject: subjectRef(entry),
        period,
        previousPeriod,
        changed: ['period'],
        reason: input.reason,
        amendedAt: now.toISOString(),
        extension,
      };
      await this.messaging.outbox.add(manager, [
        entryMessage(entry, EventTypes.listEntryAmended, data, principal.dept, now),
      ]);
      // the listing decision and repair notice state the period: issued again (decision 0030)
      await reissueOnCorrection(manager, entry, ['period'], now);
      return {
        id: amendment.id,
        entryId: entry.id,
        previousPeriod: { from: previousPeriod.from, to: previousPeriod.to },
        period: { from: period.from, to: period.to },
        extension,
        extensions: entry.extensions,
        reason: input.reason,
        amendedAt: now.toISOString(),
      };
    });
    this.documents.wake();
    return view;
  }
}
