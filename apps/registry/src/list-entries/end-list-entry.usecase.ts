import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { EventTypes, ListEntryEndedV1, Topics } from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB, REGISTRY_MESSAGING, REGISTRY_SOURCE } from '../registry.tokens';
import { EndListEntryDto } from './list-entry.dto';
import { loadOwnedEntryForUpdate } from './list-entry.access';
import { nextListEntryStatus } from './list-entry.state-machine';
import { toListEntryView } from './list-entry.view';

/** 退出: expiry, repair, revocation or correction ends the entry; an entry that was in force fans out lifts. */
@Injectable()
export class EndListEntryUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(principal: Principal, id: string, input: EndListEntryDto, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const entry = await loadOwnedEntryForUpdate(manager, id, principal);
      const wasInForce = entry.status === 'published';
      entry.status = nextListEntryStatus(entry.status, 'end');
      entry.endedAt = now;
      entry.endReason = input.reason;
      entry.endNote = input.note ?? null;
      const saved = await manager.save(entry);
      if (wasInForce) {
        const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
        const data: ListEntryEndedV1 = {
          entryId: saved.id,
          listType: { code: listType.code, colour: listType.colour },
          ownerDept: saved.ownerDept,
          subject: { kind: saved.subjectKind, id: saved.subjectId, name: saved.subjectName },
          reason: input.reason,
          ...(input.note ? { note: input.note } : {}),
          endedAt: now.toISOString(),
        };
        await this.messaging.outbox.add(manager, [
          {
            topic: Topics.listEntries,
            key: saved.subjectId,
            event: createCloudEvent({
              type: EventTypes.listEntryEnded,
              source: REGISTRY_SOURCE,
              subject: saved.id,
              actorDept: principal.dept,
              data,
              time: now,
            }),
          },
        ]);
      }
      return toListEntryView(saved);
    });
    this.messaging.relay.wake();
    return view;
  }
}
