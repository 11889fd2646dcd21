import { createHash } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, In } from 'typeorm';
import type { DocumentKind } from '@credit/contracts';
import { OutboxMessage, ServiceMessaging } from '@credit/messaging';
import { outsideAnyTrace, PeriodicTask, ROOT_LOGGER } from '@credit/platform';
import { Department } from '../departments/department.entity';
import { ListEntry } from '../list-entries/list-entry.entity';
import { ListType } from '../list-types/list-type.entity';
import { earliestRepairDate, repairTermsOf } from '../list-types/repair-terms';
import { REGISTRY_DB, REGISTRY_DOCUMENTS_INTERVAL, REGISTRY_MESSAGING } from '../registry.tokens';
import { RepairApplication } from '../repairs/repair-application.entity';
import { Statement } from '../statements/statement.entity';
import { EntryDocument } from './document.entity';
import { documentIssuedMessage } from './document.events';
import {
  DocumentText,
  EntryFacts,
  listingDecisionText,
  repairDecisionText,
  repairNoticeText,
  statementAnswerText,
} from './document-texts';
import { renderDocx } from './docx-renderer';

/** A later version says what it is: issued again after a correction, replacing the one served before. */
function reissued<T extends { text: DocumentText }>(doc: Claimed, composed: T): T {
  if (doc.version <= 1) return composed;
  composed.text.sections.push({
    heading: '更正说明',
    paragraphs: [
      `本文书系依更正后的信息重新制作（第${doc.version}版），此前送达的版本同时失效（已标注为被替代，仍可查阅）。`,
    ],
  });
  return composed;
}

/** Documents generated per pass and stored in one transaction (a document renders in ~0.4 ms, decision 0064). */
const BATCH = 100;
/** How long a pass holds the documents it generates; a crashed pass's documents are taken up after it. */
const CLAIM_MS = 5 * 60_000;

interface PassContext {
  entries: Map<string, ListEntry>;
  listTypes: Map<string, ListType>;
  owners: Map<string, Department>;
}

interface Claimed {
  id: string;
  entry_id: string;
  application_id: string | null;
  statement_id: string | null;
  kind: DocumentKind;
  version: number;
}

/**
 * Generates pending documents (DOCX) and records them as served (decision 0026). Woken after the act
 * that asked for them commits, and on an interval for what is left (a restart, a bulk import). Each pass
 * claims a batch with SKIP LOCKED and a lease, renders outside any transaction, then stores the files and
 * their `credit.document.issued.v1` events together: safe with several replicas, and the embedded
 * mode's one database session is held only for the short writes.
 */
@Injectable()
export class IssueDocumentsJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly logger: Logger;
  private running?: Promise<void>;
  private again = false;
  private closed = false;

  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(REGISTRY_DOCUMENTS_INTERVAL) intervalMs: number,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'registry', component: 'documents-job' });
    this.task = new PeriodicTask(intervalMs, () => this.issuePending(), this.logger, 'documents pass');
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /** Before the database closes: a pass stops after the document it is rendering. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.task.stop();
    await this.running;
  }

  /** Runs a pass soon (after the current one, if one is running). */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // the pass issues the documents of every request that woke it: it does not join this request's trace
    this.running = outsideAnyTrace(() => this.issuePending())
      .then(
        () => undefined,
        (err: unknown) => this.logger.error({ err }, 'documents pass failed; the next pass retries'),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Issues every pending document; returns how many. */
  async issuePending(now = new Date()): Promise<number> {
    let total = 0;
    while (!this.closed) {
      const claimed = await this.claim(now);
      if (claimed.length === 0) break;
      total += await this.issue(claimed, new Date(Math.max(now.getTime(), Date.now())));
      if (claimed.length < BATCH) break;
    }
    if (total > 0) this.logger.info({ issued: total }, 'documents issued');
    return total;
  }

  private async claim(now: Date): Promise<Claimed[]> {
    // a SELECT over the UPDATE: the same result shape on every driver (PostgreSQL and PGlite)
    const rows: Claimed[] = await this.db.query(
      `WITH claimed AS (
         UPDATE registry.documents d SET claimed_until = $1::timestamptz + $2 * interval '1 millisecond'
         WHERE d.id IN (
           SELECT id FROM registry.documents
           WHERE status = 'pending' AND (claimed_until IS NULL OR claimed_until < $1)
           ORDER BY requested_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING d.id, d.entry_id, d.application_id, d.statement_id, d.kind, d.version)
       SELECT * FROM claimed`,
      [now, CLAIM_MS, BATCH],
    );
    return rows;
  }

  private async release(claimed: Claimed[]): Promise<void> {
    await this.db.query(
      `UPDATE registry.documents SET claimed_until = NULL WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
      [claimed.map((d) => d.id)],
    );
  }

  private async issue(claimed: Claimed[], issuedAt: Date): Promise<number> {
    const rendered: { doc: Claimed; entry: ListEntry; title: string; content: Buffer }[] = [];
    const context = await this.contextOf(claimed);
    for (const doc of claimed) {
      if (this.closed) {
        // stopping: give the claims back, so that the next start (or another replica) takes them at
        // once rather than when the lease lapses
        await this.release(claimed);
        return 0;
      }
      try {
        const { entry, text } = reissued(doc, await this.compose(doc, issuedAt, context));
        rendered.push({ doc, entry, title: text.title, content: await renderDocx(text) });
      } catch (err) {
        // left claimed: retried when the lease lapses, without holding up the rest
        this.logger.error({ err, documentId: doc.id, kind: doc.kind }, 'document not generated');
      }
    }
    if (rendered.length === 0) return 0;
    // the files travel as one binary parameter, sliced apart in the database (one statement, not one
    // per document; no escaping)
    const files = Buffer.concat(rendered.map((r) => r.content));
    const offsets: number[] = [];
    let offset = 1;
    for (const r of rendered) {
      offsets.push(offset);
      offset += r.content.length;
    }
    const byId = new Map(rendered.map((r) => [r.doc.id, r]));
    const issued = await this.db.transaction(async (manager) => {
      // rows locked in id order, as a correction re-issuing them does (opposite orders deadlocked)
      await manager.query(
        `SELECT id FROM registry.documents WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [[...byId.keys()]],
      );
      const rows: EntryDocument[] = await manager.query(
        `WITH issued AS (
           UPDATE registry.documents d SET status = 'issued', title = x.title,
             content = substring($1::bytea FROM x.o FOR x.l), sha256 = x.sha, size = x.l, issued_at = $2,
             claimed_until = NULL
           FROM unnest($3::uuid[], $4::text[], $5::int[], $6::int[], $7::text[]) AS x(id, title, o, l, sha)
           WHERE d.id = x.id AND d.status = 'pending'
           RETURNING d.id, d.entry_id AS "entryId", d.application_id AS "applicationId",
             d.statement_id AS "statementId", d.kind, d.owner_dept AS "ownerDept", d.title,
             d.issued_at AS "issuedAt", d.version, d.supersedes)
         SELECT * FROM issued ORDER BY id`,
        [
          files,
          issuedAt,
          rendered.map((r) => r.doc.id),
          rendered.map((r) => r.title),
          offsets,
          rendered.map((r) => r.content.length),
          rendered.map((r) => createHash('sha256').update(r.content).digest('hex')),
        ],
      );
      const messages: OutboxMessage[] = rows.map((row) =>
        documentIssuedMessage({ ...row, issuedAt }, byId.get(row.id)!.entry),
      );
      await this.messaging.outbox.add(manager, messages);
      return messages.length;
    });
    return issued;
  }

  /**
   * The entries a pass's documents are about, their list types and owners: three queries a pass rather
   * than three a document (a bulk publish asks for two documents per entry).
   */
  private async contextOf(claimed: Claimed[]): Promise<PassContext> {
    const entries = await this.db
      .getRepository(ListEntry)
      .findBy({ id: In([...new Set(claimed.map((d) => d.entry_id))]) });
    if (entries.length === 0) return { entries: new Map(), listTypes: new Map(), owners: new Map() };
    const listTypes = await this.db
      .getRepository(ListType)
      .findBy({ code: In([...new Set(entries.map((e) => e.listType))]) });
    const owners = await this.db
      .getRepository(Department)
      .findBy({ code: In([...new Set(entries.map((e) => e.ownerDept))]) });
    return {
      entries: new Map(entries.map((e) => [e.id, e])),
      listTypes: new Map(listTypes.map((t) => [t.code, t])),
      owners: new Map(owners.map((d) => [d.code, d])),
    };
  }

  /** The document's text from the entry, its list type, its owner and, for a decision, the application. */
  private async compose(
    doc: Claimed,
    issuedAt: Date,
    context: PassContext,
  ): Promise<{ entry: ListEntry; text: DocumentText }> {
    const entry = context.entries.get(doc.entry_id);
    if (!entry) throw new Error(`entry ${doc.entry_id} not found`);
    const listType = context.listTypes.get(entry.listType);
    if (!listType) throw new Error(`list type ${entry.listType} not found`);
    const owner = context.owners.get(entry.ownerDept);
    const facts: EntryFacts = {
      ownerName: owner?.name ?? entry.ownerDept,
      listTypeName: listType.name,
      legalBasis: listType.legalBasis,
      criteria: listType.criteria,
      subjectName: entry.subjectName,
      subjectId: entry.subjectId,
      decisionNo: entry.decisionDocumentNo,
      decisionDate: entry.decisionDate,
      facts: entry.decisionFacts,
      periodFrom: entry.periodFrom ?? entry.publishedAt ?? issuedAt,
      periodTo: entry.periodTo ?? issuedAt,
      openEnded: entry.openEnded,
    };
    switch (doc.kind) {
      case 'listing_decision':
        return { entry, text: listingDecisionText(facts, issuedAt) };
      case 'repair_notice': {
        const terms = repairTermsOf(listType);
        return {
          entry,
          text: repairNoticeText(
            facts,
            {
              repairable: terms.repairable,
              earliestRepairDate: earliestRepairDate(terms, entry),
              minRepairDays: terms.minRepairDays,
              conditions: terms.conditions,
              commitmentRequired: terms.commitmentRequired,
              acceptWorkingDays: terms.acceptWorkingDays,
              decideWorkingDays: terms.decideWorkingDays,
            },
            issuedAt,
          ),
        };
      }
      case 'repair_decision': {
        const a = await this.db.getRepository(RepairApplication).findOneByOrFail({ id: doc.application_id! });
        return {
          entry,
          text: repairDecisionText(
            facts,
            {
              applicationId: a.id,
              submittedAt: a.submittedAt,
              acceptedAt: a.acceptedAt,
              decidedAt: a.decidedAt ?? issuedAt,
              approved: a.status === 'approved',
              reason: a.decisionReason,
            },
            issuedAt,
          ),
        };
      }
      case 'statement_answer': {
        const st = await this.db.getRepository(Statement).findOneByOrFail({ id: doc.statement_id! });
        return {
          entry,
          text: statementAnswerText(
            facts,
            {
              receiptNo: st.receiptNo,
              receivedAt: st.receivedAt,
              content: st.content,
              accepted: st.status === 'accepted',
              remedy: st.remedy,
              reply: st.reply ?? '',
              answeredAt: st.answeredAt ?? issuedAt,
            },
            issuedAt,
          ),
        };
      }
      default:
        throw new Error(`no template for ${doc.kind}`);
    }
  }
}
