import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CloudEvent, EventTypes, Topics } from '@credit/contracts';
import { handleEach, HandlerContext, ServiceMessaging } from '@credit/messaging';
import { ENFORCEMENT_MESSAGING } from '../enforcement.tokens';

/** What the watched entry events have in common (each of their payloads is one). */
interface EntryEventData {
  entryId: string;
  listType: { code: string; colour: string; infoClass?: string | null };
  ownerDept: string;
  subject: { id: string; legacyIds?: string[] | null };
  relatedPersons?: { id: string; role: string }[];
  period?: { from: string; to: string };
  reason?: string;
  outcome?: string;
}

const WATCHED = [
  EventTypes.listEntryPublished,
  EventTypes.listEntryEnded,
  EventTypes.listEntryAmended,
  EventTypes.listEntryObjectionOpened,
  EventTypes.listEntryObjectionResolved,
] as const;

/**
 * 关注名单: when a subject a department watches (a licensee, a contractor, a grant recipient — or one of
 * their legal representatives) is listed, lifted or changes, the department is told at once, before its
 * systems next call the check.
 */
@Injectable()
export class WatchListHandlers implements OnModuleInit {
  constructor(@Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging) {}

  onModuleInit(): void {
    const notify = (event: CloudEvent<EntryEventData>, context: HandlerContext) =>
      this.notify(event, context.manager);
    this.messaging.consume({
      name: 'enforcement.watch-lists',
      topics: [Topics.listEntries],
      handlers: handleEach(WATCHED, notify),
    });
  }

  async notify(event: CloudEvent<EntryEventData>, manager: EntityManager): Promise<void> {
    const d = event.data;
    const identifiers = [
      d.subject.id,
      ...(d.subject.legacyIds ?? []),
      ...(d.relatedPersons ?? []).map((p) => p.id),
    ];
    const summary = {
      listType: d.listType.code,
      colour: d.listType.colour,
      ownerDept: d.ownerDept,
      subjectId: d.subject.id,
      ...(d.period ? { period: d.period } : {}),
      ...(d.reason ? { reason: d.reason } : {}),
      ...(d.outcome ? { outcome: d.outcome } : {}),
    };
    await manager.query(
      `INSERT INTO enforcement.watch_notifications (dept, subject_id, entry_id, event_id, event_type, summary, at)
       SELECT DISTINCT ON (x.dept) x.dept, x.subject_id, $2, $3, $4, $5, $6
       FROM (
         SELECT w.dept, w.subject_id FROM enforcement.watch_list w WHERE w.subject_id = ANY($1::text[])
         -- whoever heard of the entry hears how it goes on (an end event names no related persons)
         UNION SELECT n.dept, n.subject_id FROM enforcement.watch_notifications n WHERE n.entry_id = $2
       ) x
       -- the information class decides who hears (decision 0020): A everyone; B the owner and the
       -- departments implementing a measure on the list type; C (and an unknown class) the owner only
       WHERE $7 = 'A' OR x.dept = $8
          OR ($7 = 'B' AND EXISTS (SELECT 1 FROM enforcement.assignments a WHERE a.dept = x.dept AND a.list_type = $9))
       ON CONFLICT (dept, event_id) DO NOTHING`,
      [
        identifiers,
        d.entryId,
        event.id,
        event.type,
        JSON.stringify(summary),
        event.time,
        d.listType.infoClass ?? 'C',
        d.ownerDept,
        d.listType.code,
      ],
    );
    await manager.query(`SELECT pg_notify('credit_watch_list', $1)`, [d.entryId]);
  }
}
