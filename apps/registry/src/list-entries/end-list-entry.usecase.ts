import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../registry.tokens';
import { endEntry } from './end-entry';
import { EndListEntryDto } from './list-entry.dto';
import { loadOwnedEntryForUpdate } from './list-entry.access';
import { toListEntryView } from './list-entry.view';

/** 退出: the owning department ends an entry (repair, revocation, correction, or early expiry). */
@Injectable()
export class EndListEntryUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(principal: Principal, id: string, input: EndListEntryDto, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const entry = await loadOwnedEntryForUpdate(manager, id, principal);
      const saved = await endEntry(manager, this.messaging.outbox, entry, {
        reason: input.reason,
        note: input.note,
        actorDept: principal.dept,
        now,
      });
      return toListEntryView(saved);
    });
    return view;
  }
}
