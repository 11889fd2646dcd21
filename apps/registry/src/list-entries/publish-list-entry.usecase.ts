import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { EventTypes, ListEntryPublishedV1, Topics } from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { conflict } from '@credit/platform';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB, REGISTRY_MESSAGING, REGISTRY_SOURCE } from '../registry.tokens';
import { loadOwnedEntryForUpdate } from './list-entry.access';
import { nextListEntryStatus } from './list-entry.state-machine';
import { toListEntryView } from './list-entry.view';

const DAY_MS = 86_400_000;

/** After the statement period the entry takes effect; the event fans out to every implementing department. */
@Injectable()
export class PublishListEntryUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(principal: Principal, id: string, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const entry = await loadOwnedEntryForUpdate(manager, id, principal);
      entry.status = nextListEntryStatus(entry.status, 'publish');
      if (entry.statementDeadline && now < entry.statementDeadline) {
        throw conflict(
          'LIST_ENTRY.STATEMENT_PERIOD_OPEN',
          `the subject may make a statement until ${entry.statementDeadline.toISOString()}; publish after it (陈述申辩期未满)`,
          { statementDeadline: entry.statementDeadline.toISOString() },
        );
      }
      const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
      entry.publishedAt = now;
      entry.periodFrom ??= now;
      entry.periodTo ??= new Date(entry.periodFrom.getTime() + listType.defaultPeriodDays * DAY_MS);
      const saved = await manager.save(entry);

      const data: ListEntryPublishedV1 = {
        entryId: saved.id,
        listType: { code: listType.code, colour: listType.colour },
        ownerDept: saved.ownerDept,
        subject: { kind: saved.subjectKind, id: saved.subjectId, name: saved.subjectName },
        relatedPersons: saved.relatedPersons,
        decision: { documentNo: saved.decisionDocumentNo, date: saved.decisionDate },
        period: { from: saved.periodFrom!.toISOString(), to: saved.periodTo!.toISOString() },
        publishedAt: now.toISOString(),
      };
      await this.messaging.outbox.add(manager, [
        {
          topic: Topics.listEntries,
          key: saved.subjectId,
          event: createCloudEvent({
            type: EventTypes.listEntryPublished,
            source: REGISTRY_SOURCE,
            subject: saved.id,
            actorDept: principal.dept,
            data,
            time: now,
          }),
        },
      ]);
      return toListEntryView(saved);
    });
    this.messaging.relay.wake();
    return view;
  }
}
