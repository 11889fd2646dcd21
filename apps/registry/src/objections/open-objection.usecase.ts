import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { WorkingCalendar } from '@credit/calendar';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { loadEntryForFiling } from '../list-entries/list-entry.party-access';
import { receiptNumber } from '../list-entries/receipt-number';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { Objection } from './objection.entity';
import { objectionOpenedMessage } from './objection.events';
import { toObjectionView } from './objection.view';
import { ObjectionErrors } from './objection.errors';

/**
 * The subject disputes a published entry — itself, through the credit office's counter, or through the
 * owning department on its behalf — and is handed a receipt; the entry is flagged at once and the
 * resolution clock starts. The outcome reaches the subject in `GET /v1/me/objections` and the event.
 */
@Injectable()
export class OpenObjectionUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly calendar: WorkingCalendar,
  ) {}

  async execute(
    principal: Principal,
    entryId: string,
    reason: string,
    now = new Date(),
    onBehalfOf?: string,
  ) {
    const view = await this.db.transaction(async (manager) => {
      const { entry, filer } = await loadEntryForFiling(manager, entryId, principal, onBehalfOf);
      if (entry.status !== 'published') {
        throw new DomainError({
          error: ObjectionErrors.ENTRY_NOT_IN_FORCE,
          detail: `only a published entry can be disputed; this one is ${entry.status} (仅可对已公布的名单提出异议)`,
          extra: { currentStatus: entry.status },
        });
      }
      if (entry.objectionOpen) {
        throw new DomainError({
          error: ObjectionErrors.ALREADY_OPEN,
          detail: 'an objection to this entry is already open (已有未处理的异议)',
        });
      }
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      const objection = await manager.save(
        manager.create(Objection, {
          id: randomUUID(),
          entryId: entry.id,
          ownerDept: entry.ownerDept,
          reason,
          status: 'open',
          openedAt: now,
          openedBy: principal.sub,
          receiptNo: receiptNumber('OB', now),
          filedByRole: filer.role,
          onBehalfOf: filer.onBehalfOf,
          deadline: this.calendar.addWorkingDays(now, listType.objectionWorkingDays),
          resolvedAt: null,
          resolvedBy: null,
          resolutionNote: null,
        }),
      );
      entry.objectionOpen = true;
      await manager.save(entry);
      await this.messaging.outbox.add(manager, [
        objectionOpenedMessage(entry, listType, objection, filer.dept ?? undefined),
      ]);
      return toObjectionView(objection, now);
    });
    return view;
  }
}
