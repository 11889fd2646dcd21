import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { addWorkingDays } from '@credit/platform';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { loadOwnedEntryForUpdate } from './list-entry.access';
import { nextListEntryStatus } from './list-entry.state-machine';
import { toListEntryView } from './list-entry.view';

/** 告知: the subject is told before the entry takes effect; the statement period starts. */
@Injectable()
export class NoticeListEntryUseCase {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  async execute(principal: Principal, id: string, now = new Date()) {
    return this.db.transaction(async (manager) => {
      const entry = await loadOwnedEntryForUpdate(manager, id, principal);
      entry.status = nextListEntryStatus(entry.status, 'notice');
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      entry.noticedAt = now;
      entry.statementDeadline = addWorkingDays(now, listType.noticeWorkingDays);
      return toListEntryView(await manager.save(entry));
    });
  }
}
