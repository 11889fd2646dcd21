import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import {
  anonymiseDocument,
  entryPseudonyms,
  EventTypes,
  InfoClass,
  ListEntryAnonymisedV1,
  Topics,
} from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { REGISTRY_DB, REGISTRY_MESSAGING, REGISTRY_SOURCE } from '../registry.tokens';
import { RETENTION_OPTIONS, RetentionOptions } from './retention.options';
import { anonymisePublications } from '../publication/publication.store';
import { anonymiseExchange } from '../exchange/exchange-outbound';

interface DueEntry {
  id: string;
  owner_dept: string;
  subject_id: string;
  related_persons: { role?: string; kind?: string; id: string; name?: string }[];
  ended_at: Date;
  info_class: InfoClass;
}

/**
 * 个人信息保存期限: personal data of an ended entry is anonymised once its class's retention period after the
 * end is over. The subject's identifiers and names (and related persons') become a pseudonym, free texts
 * that may name people are emptied; the entry itself (list type, owner, decision number and date, period,
 * end) stays for statistics and the trail. `credit.list-entry.anonymised.v1` tells every service holding a
 * copy to do the same. In batches, each locked with SKIP LOCKED: replicas never take the same entry.
 */
@Injectable()
export class AnonymiseEndedEntriesJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly logger: Logger;

  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(RETENTION_OPTIONS) private readonly options: RetentionOptions,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'registry', component: 'retention-job' });
    this.task = new PeriodicTask(
      options.intervalMs,
      () => this.anonymiseDue(),
      this.logger,
      'retention pass',
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Anonymises every entry due at `now`; returns how many this call anonymised. */
  async anonymiseDue(now = new Date()): Promise<number> {
    const cutoff = (c: InfoClass) => new Date(now.getTime() - this.options.periodsMs[c]);
    let total = 0;
    for (;;) {
      const done = await this.db.transaction(async (manager) => {
        const due: DueEntry[] = await manager.query(
          `SELECT e.id, e.owner_dept, e.subject_id, e.related_persons, e.ended_at, t.info_class
           FROM registry.list_entries e JOIN registry.list_types t ON t.code = e.list_type
           WHERE e.status = 'ended' AND e.anonymised_at IS NULL
             AND e.ended_at <= CASE t.info_class WHEN 'A' THEN $1::timestamptz WHEN 'B' THEN $2::timestamptz
                                                 ELSE $3::timestamptz END
           ORDER BY e.ended_at LIMIT $4
           FOR UPDATE OF e SKIP LOCKED`,
          [cutoff('A'), cutoff('B'), cutoff('C'), this.options.batchSize],
        );
        for (const entry of due) await this.anonymise(manager, entry, now);
        return due.length;
      });
      total += done;
      if (done < this.options.batchSize) break;
    }
    if (total > 0) this.logger.info({ anonymised: total }, 'ended entries anonymised');
    return total;
  }

  private async anonymise(manager: EntityManager, entry: DueEntry, now: Date): Promise<void> {
    const pseudonym = `anon:${randomUUID()}`;
    const pseudonyms = entryPseudonyms(
      pseudonym,
      [entry.subject_id],
      (entry.related_persons ?? []).map((p) => p.id),
    );
    const related = anonymiseDocument(entry.related_persons ?? [], pseudonyms);
    await manager.query(
      `UPDATE registry.list_entries SET subject_id = $2, subject_name = '', subject_legacy_ids = '{}',
         related_persons = $3::jsonb, decision_facts = '', end_note = NULL, notice_note = NULL,
         anonymised_at = $4
       WHERE id = $1`,
      [entry.id, pseudonym, JSON.stringify(related), now],
    );
    // what people wrote about the entry may name them
    await manager.query(
      `UPDATE registry.objections SET reason = '', resolution_note = NULL,
         on_behalf_of = CASE WHEN on_behalf_of IS NULL THEN NULL ELSE $2 END
       WHERE entry_id = $1`,
      [entry.id, pseudonym],
    );
    await manager.query(
      `UPDATE registry.statements SET content = '', reply = NULL, on_behalf_of = $2 WHERE entry_id = $1`,
      [entry.id, pseudonym],
    );
    await manager.query('DELETE FROM registry.subject_measures WHERE entry_id = $1', [entry.id]);
    await manager.query(
      `UPDATE registry.repair_applications SET subject_id = $2, statement = '', commitment_text = NULL,
         conditions = '[]', material_requests = '[]', decision_reason = NULL
       WHERE entry_id = $1`,
      [entry.id, pseudonym],
    );
    // the documents served name the subject: the record of their serving stays, the files go
    await manager.query(
      `UPDATE registry.documents SET content = NULL, status = 'redacted', claimed_until = NULL
       WHERE entry_id = $1`,
      [entry.id],
    );
    await manager.query(
      `UPDATE registry.entry_amendments SET before = '{}', after = '{}', reason = '' WHERE entry_id = $1`,
      [entry.id],
    );
    // 信用承诺 bound to the entry (a repair's) or listed on: the subject's words and name go with it
    await manager.query(
      `UPDATE registry.commitments SET subject_id = $2, subject_name = '', text = '', settlement_note = NULL
       WHERE entry_id = $1 OR new_entry_id = $1`,
      [entry.id, pseudonym],
    );
    await anonymisePublications(manager, entry.id); // 公示's feed (decision 0032)
    await anonymiseExchange(manager, entry.id); // documents exchanged with partner regions (0035)
    // the subject itself, once no entry that is not anonymised names it
    const [{ others }]: { others: number }[] = await manager.query(
      `SELECT count(*)::int AS others FROM registry.list_entries WHERE subject_id = $1`,
      [entry.subject_id],
    );
    if (others === 0) {
      await manager.query(
        `DELETE FROM registry.subject_name_history
         WHERE subject_id = (SELECT id FROM registry.subjects WHERE identifier = $1)`,
        [entry.subject_id],
      );
      await manager.query(
        `UPDATE registry.subjects SET identifier = $2, name = '', legacy_ids = '{}', updated_at = $3
         WHERE identifier = $1`,
        [entry.subject_id, pseudonym, now],
      );
      // import reports: a rejected row's message may name the subject (a kind mismatch names its
      // identifier); the report stays, under the pseudonym
      await manager.query(
        `UPDATE registry.imports SET rejections = replace(rejections::text, $1, $2)::jsonb,
           error = replace(error, $1, $2)
         WHERE strpos(rejections::text, $1) > 0 OR strpos(error, $1) > 0`,
        [entry.subject_id, pseudonym],
      );
    }
    const data: ListEntryAnonymisedV1 = {
      entryId: entry.id,
      pseudonym,
      infoClass: entry.info_class,
      subjectAnonymised: others === 0,
      endedAt: entry.ended_at.toISOString(),
      at: now.toISOString(),
    };
    await this.messaging.outbox.add(manager, [
      {
        topic: Topics.listEntries,
        // after the entry's other events: the same key as they had
        key: entry.subject_id,
        event: createCloudEvent({
          type: EventTypes.listEntryAnonymised,
          source: REGISTRY_SOURCE,
          subject: entry.id,
          actorDept: entry.owner_dept,
          data,
          time: now,
        }),
      },
    ]);
  }
}
