import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { WorkingCalendar } from '@credit/calendar';
import { unprocessable } from '@credit/platform';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { loadOwnedEntryForUpdate } from './list-entry.access';
import { NoticeListEntryDto } from './list-entry.dto';
import { nextListEntryStatus } from './list-entry.state-machine';
import { toListEntryView } from './list-entry.view';

/** 告知: the subject is told before the entry takes effect; the statement period (陈述申辩期) starts. */
@Injectable()
export class NoticeListEntryUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly calendar: WorkingCalendar,
  ) {}

  async execute(principal: Principal, id: string, input: NoticeListEntryDto = {}, now = new Date()) {
    const noticedAt = input.noticedAt ? new Date(input.noticedAt) : now;
    if (noticedAt.getTime() > now.getTime()) {
      throw unprocessable('LIST_ENTRY.NOTICE_IN_FUTURE', 'noticedAt cannot be in the future', 'noticedAt');
    }
    return this.db.transaction(async (manager) => {
      const entry = await loadOwnedEntryForUpdate(manager, id, principal);
      entry.status = nextListEntryStatus(entry.status, 'notice');
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      entry.noticedAt = noticedAt;
      entry.noticeChannel = input.channel ?? 'online';
      entry.noticeNote = input.note ?? null;
      entry.statementDeadline = this.calendar.addWorkingDays(noticedAt, listType.noticeWorkingDays);
      return toListEntryView(await manager.save(entry));
    });
  }
}
