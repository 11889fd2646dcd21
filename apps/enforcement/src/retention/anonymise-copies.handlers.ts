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
import { ENFORCEMENT_MESSAGING } from '../enforcement.tokens';

/**
 * An anonymised entry (decision 0021): the departments' inbox items and watch-list notifications of the
 * entry follow; once no entry names the subject any more, so do the check log, the access log (whose
 * trigger lets exactly this change through) and the watch lists and grants naming the subject.
 */
@Injectable()
export class AnonymiseCopiesHandlers implements OnModuleInit {
  constructor(@Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'enforcement.retention',
      topics: [Topics.listEntries],
      handlers: {
        [EventTypes.listEntryAnonymised]: (event: CloudEvent<ListEntryAnonymisedV1>, context) =>
          this.anonymise(event, context),
      },
    });
  }

  async anonymise(event: CloudEvent<ListEntryAnonymisedV1>, { manager, record }: HandlerContext) {
    const { entryId, pseudonym, subjectAnonymised } = event.data;
    const held: { subject_id: string; subject_legacy_ids: string[]; target_id: string }[] =
      await manager.query(
        `SELECT DISTINCT subject_id, subject_legacy_ids, target_id FROM enforcement.assignments WHERE entry_id = $1`,
        [entryId],
      );
    const subjectIds = [record.key, ...held.flatMap((h) => [h.subject_id, ...(h.subject_legacy_ids ?? [])])];
    const pseudonyms = entryPseudonyms(
      pseudonym,
      subjectIds,
      held.map((h) => h.target_id),
    );
    for (const target of new Set(held.map((h) => h.target_id))) {
      await manager.query(
        `UPDATE enforcement.assignments SET target_id = $3, target_name = NULL WHERE entry_id = $1 AND target_id = $2`,
        [entryId, target, pseudonyms.get(target)],
      );
    }
    await manager.query(
      `UPDATE enforcement.assignments SET subject_id = $2, subject_name = '', subject_legacy_ids = '{}'
       WHERE entry_id = $1`,
      [entryId, pseudonym],
    );
    const notes: { id: string; summary: unknown }[] = await manager.query(
      `SELECT id, summary FROM enforcement.watch_notifications WHERE entry_id = $1`,
      [entryId],
    );
    for (const n of notes) {
      await manager.query(
        `UPDATE enforcement.watch_notifications SET subject_id = $2, summary = $3::jsonb WHERE id = $1`,
        [n.id, pseudonym, JSON.stringify(anonymiseDocument(n.summary, pseudonyms))],
      );
    }
    // the stream's buffered events (pushed to departments, kept for their reconnects)
    const streamed: { id: string; payload: unknown }[] = await manager.query(
      `SELECT s.id, s.payload FROM enforcement.stream_events s
       WHERE s.assignment_id IN (SELECT id FROM enforcement.assignments WHERE entry_id = $1)`,
      [entryId],
    );
    for (const e of streamed) {
      await manager.query(`UPDATE enforcement.stream_events SET payload = $2::jsonb WHERE id = $1`, [
        e.id,
        JSON.stringify(anonymiseDocument(e.payload, pseudonyms)),
      ]);
    }
    if (!subjectAnonymised) return; // the subject is still named by another entry
    // reads recorded before now may still be on their way to the access log: a week to arrive
    await manager.query(
      `DELETE FROM enforcement.anonymised_subjects WHERE anonymised_at < now() - interval '7 days'`,
    );
    for (const [old, anon] of pseudonyms) {
      await manager.query(
        `INSERT INTO enforcement.anonymised_subjects (digest, pseudonym)
         VALUES (sha256(convert_to($1, 'UTF8')), $2) ON CONFLICT (digest) DO NOTHING`,
        [old, anon],
      );
      await manager.query(`UPDATE enforcement.checks SET subject_id = $2 WHERE subject_id = $1`, [old, anon]);
      await manager.query(`UPDATE enforcement.access_log SET subject_id = $2 WHERE subject_id = $1`, [
        old,
        anon,
      ]);
      // who watches the subject (and may): the rows stay, under the pseudonym; a note may name the person
      await manager.query(
        `UPDATE enforcement.watch_list SET subject_id = $2, note = NULL WHERE subject_id = $1`,
        [old, anon],
      );
      await manager.query(`UPDATE enforcement.watch_grants SET subject_id = $2 WHERE subject_id = $1`, [
        old,
        anon,
      ]);
    }
  }
}
