import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { WorkingCalendar } from '@credit/calendar';
import { EventTypes, ListEntryNoticedV1 } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { ListType } from '../list-types/list-type.entity';
import { statementWorkingDaysOf } from '../list-types/statement-terms';
import { REGISTRY_DB, REGISTRY_MESSAGING, REGISTRY_NOTICE_MAX_BACKDATE_DAYS } from '../registry.tokens';
import { loadOwnedEntryForUpdate } from './list-entry.access';
import { NoticeListEntryDto } from './list-entry.dto';
import { entryMessage, listTypeRef, subjectRef } from './list-entry.events';
import { nextListEntryStatus } from './list-entry.state-machine';
import { toListEntryView } from './list-entry.view';
import { assertNoticeDate, noticeRights } from './notice-content';

/**
 * 告知: the subject is told before the entry takes effect — the reasons, the legal basis, its rights and
 * the statement deadline — and the statement period (陈述申辩期) starts: at least the list type's minimum.
 */
@Injectable()
export class NoticeListEntryUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(REGISTRY_NOTICE_MAX_BACKDATE_DAYS) private readonly maxBackdateDays: number,
    private readonly calendar: WorkingCalendar,
  ) {}

  async execute(principal: Principal, id: string, input: NoticeListEntryDto = {}, now = new Date()) {
    const noticedAt = input.noticedAt ? new Date(input.noticedAt) : now;
    const view = await this.db.transaction(async (manager) => {
      const entry = await loadOwnedEntryForUpdate(manager, id, principal);
      entry.status = nextListEntryStatus(entry.status, 'notice');
      assertNoticeDate(noticedAt, entry.createdAt, now, this.maxBackdateDays);
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      entry.noticedAt = noticedAt;
      entry.noticeChannel = input.channel ?? 'online';
      entry.noticeNote = input.note ?? null;
      entry.statementDeadline = this.calendar.addWorkingDays(noticedAt, statementWorkingDaysOf(listType));
      // the notice always carries reasons and basis: the decision's facts and the list type's basis
      // unless the department words them itself
      entry.noticeReasons = input.reasons ?? entry.decisionFacts;
      entry.noticeLegalBasis = input.legalBasis ?? listType.legalBasis;
      entry.noticeRights = noticeRights(listType, entry.statementDeadline);
      const saved = await manager.save(entry);
      const data: ListEntryNoticedV1 = {
        entryId: saved.id,
        listType: listTypeRef(listType),
        ownerDept: saved.ownerDept,
        subject: subjectRef(saved),
        channel: saved.noticeChannel!,
        noticedAt: noticedAt.toISOString(),
        statementDeadline: saved.statementDeadline!.toISOString(),
      };
      await this.messaging.outbox.add(manager, [
        entryMessage(saved, EventTypes.listEntryNoticed, data, principal.dept, now),
      ]);
      return toListEntryView(saved);
    });
    return view;
  }
}
