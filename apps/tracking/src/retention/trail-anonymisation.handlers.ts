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
import { TRACKING_CONSUMER_GROUP_SUFFIX, TRACKING_MESSAGING } from '../tracking.tokens';
import { loadSeals, verifySeals } from '../trail/trail.queries';
import { anonymiseCases } from '../cases/typical-case.retention';

interface TrailData {
  subject?: { id?: string; legacyIds?: string[] };
  relatedPersons?: { id?: string }[];
  target?: { id?: string };
  subjectId?: string;
}

/**
 * An anonymised entry's trail (decision 0021): its chain is verified, each record's redaction is recorded
 * with that result, then the records' personal data is replaced by the pseudonym. The seals stay as they
 * were; verification checks a redacted record's links, no longer its content.
 */
@Injectable()
export class TrailAnonymisationHandlers implements OnModuleInit {
  constructor(
    @Inject(TRACKING_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(TRACKING_CONSUMER_GROUP_SUFFIX) private readonly groupSuffix: string,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: `tracking.retention${this.groupSuffix}`,
      topics: [Topics.listEntries],
      handlers: {
        [EventTypes.listEntryAnonymised]: (event: CloudEvent<ListEntryAnonymisedV1>, context) =>
          this.anonymise(event, context),
      },
    });
  }

  async anonymise(event: CloudEvent<ListEntryAnonymisedV1>, { manager, record }: HandlerContext) {
    const { entryId, pseudonym } = event.data;
    const rows: { event_id: string; data: TrailData; redacted: boolean }[] = await manager.query(
      `SELECT r.event_id, r.data, (x.event_id IS NOT NULL) AS redacted
       FROM tracking.trail_records r LEFT JOIN tracking.trail_redactions x ON x.event_id = r.event_id
       WHERE r.entry_id = $1 AND r.type <> $2`,
      [entryId, EventTypes.listEntryAnonymised],
    );
    const subjectIds: (string | null | undefined)[] = [record.key];
    const relatedIds: (string | undefined)[] = [];
    for (const { data } of rows) {
      subjectIds.push(data.subject?.id, data.subjectId, ...(data.subject?.legacyIds ?? []));
      relatedIds.push(...(data.relatedPersons ?? []).map((p) => p.id), data.target?.id);
    }
    const followed: { subject_id: string | null; target_id: string | null }[] = await manager.query(
      `SELECT DISTINCT subject_id, target_id FROM tracking.follow_up_assignments WHERE entry_id = $1`,
      [entryId],
    );
    subjectIds.push(...followed.map((f) => f.subject_id));
    relatedIds.push(...followed.map((f) => f.target_id ?? undefined));
    const pseudonyms = entryPseudonyms(pseudonym, subjectIds, relatedIds);
    // the follow-up's copy of each assignment's subject and target
    for (const [old, anon] of pseudonyms) {
      await manager.query(
        `UPDATE tracking.follow_up_assignments SET subject_id = CASE WHEN subject_id = $2 THEN $3 ELSE subject_id END,
           target_id = CASE WHEN target_id = $2 THEN $3 ELSE target_id END
         WHERE entry_id = $1 AND (subject_id = $2 OR target_id = $2)`,
        [entryId, old, anon],
      );
    }
    // the typical cases' copy of the entry (decision 0036)
    await anonymiseCases(manager, entryId, pseudonyms);
    const already = new Set(rows.filter((r) => r.redacted).map((r) => r.event_id));
    const chainVerified = verifySeals(await loadSeals(manager, entryId), already) === null;
    for (const row of rows) {
      if (row.redacted) continue;
      await manager.query(
        `INSERT INTO tracking.trail_redactions (event_id, entry_id, redacted_at, chain_verified)
         VALUES ($1, $2, $3, $4)`,
        [row.event_id, entryId, event.time, chainVerified],
      );
      await manager.query(`UPDATE tracking.trail_records SET data = $2::jsonb WHERE event_id = $1`, [
        row.event_id,
        JSON.stringify(anonymiseDocument(row.data, pseudonyms)),
      ]);
    }
  }
}
