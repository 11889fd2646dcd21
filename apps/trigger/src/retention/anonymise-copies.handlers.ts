import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  anonymiseDocument,
  CloudEvent,
  entryPseudonyms,
  EventTypes,
  ListEntryAnonymisedV1,
  Topics,
} from '@credit/contracts';
import { HandlerContext, ServiceMessaging } from '@credit/messaging';
import { TRIGGER_MESSAGING } from '../trigger.tokens';

/** An anonymised entry (decision 0021): trigger's copy of it and its assignments' targets follow. */
@Injectable()
export class AnonymiseCopiesHandlers implements OnModuleInit {
  constructor(@Inject(TRIGGER_MESSAGING) private readonly messaging: ServiceMessaging) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'trigger.retention',
      topics: [Topics.listEntries],
      handlers: {
        [EventTypes.listEntryAnonymised]: (event: CloudEvent<ListEntryAnonymisedV1>, context) =>
          this.anonymise(event, context),
      },
    });
  }

  async anonymise(event: CloudEvent<ListEntryAnonymisedV1>, { manager, record }: HandlerContext) {
    const { entryId, pseudonym } = event.data;
    const [entry]: { subject_id: string; subject_legacy_ids: string[]; related_persons: { id: string }[] }[] =
      await manager.query(
        `SELECT subject_id, subject_legacy_ids, related_persons FROM trigger.entries WHERE entry_id = $1`,
        [entryId],
      );
    const targets: { target_id: string }[] = await manager.query(
      `SELECT DISTINCT target_id FROM trigger.assignments WHERE entry_id = $1`,
      [entryId],
    );
    const pseudonyms = entryPseudonyms(
      pseudonym,
      [record.key, entry?.subject_id, ...(entry?.subject_legacy_ids ?? [])],
      [...(entry?.related_persons ?? []).map((p) => p.id), ...targets.map((t) => t.target_id)],
    );
    for (const { target_id } of targets) {
      await manager.query(
        `UPDATE trigger.assignments SET target_id = $3 WHERE entry_id = $1 AND target_id = $2`,
        [entryId, target_id, pseudonyms.get(target_id)],
      );
    }
    await manager.query(`UPDATE trigger.assignments SET subject_id = $2 WHERE entry_id = $1`, [
      entryId,
      pseudonym,
    ]);
    if (entry) {
      await manager.query(
        `UPDATE trigger.entries SET subject_id = $2, subject_name = '', subject_legacy_ids = '{}',
           related_persons = $3::jsonb WHERE entry_id = $1`,
        [entryId, pseudonym, JSON.stringify(anonymiseDocument(entry.related_persons, pseudonyms))],
      );
    }
  }
}
