import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { CheckDecision, CheckHitV1, CheckStage, EventTypes, Topics } from '@credit/contracts';
import { Counter } from 'prom-client';
import {
  createCloudEvent,
  mayBeRecordFault,
  OutboxMessage,
  OutboxRecipe,
  RecipeRecord,
  ServiceMessaging,
} from '@credit/messaging';
import { embeddedPostgresOf } from '@credit/persistence';
import {
  escapeUnstorable,
  escapeUnstorableDeep,
  maskIdentifier,
  metricsRegistry,
  ROOT_LOGGER,
} from '@credit/platform';
import { ENFORCEMENT_DB, ENFORCEMENT_MESSAGING, ENFORCEMENT_SOURCE } from '../enforcement.tokens';
import { ActiveMeasure } from './check-decision';

export interface CheckRecord {
  id: string;
  dept: string;
  actor: string;
  subjectId: string;
  action: string;
  stage?: CheckStage;
  decision: CheckDecision;
  reasons: unknown[];
  binding: ActiveMeasure[];
  at: Date;
}

const CHECK_COLUMNS = [
  'id',
  'dept',
  'actor',
  'subject_id',
  'action',
  'stage',
  'decision',
  'reasons',
  'checked_at',
];
const COPY_CHECKS = `COPY enforcement.checks (${CHECK_COLUMNS.join(', ')}) FROM STDIN`;
const FLUSH_MS = 50;
const FLUSH_ROWS = 1000;

/** Checks the database refused as they were: stored with their odd characters escaped, or parked. */
export const checkLogIsolated = new Counter({
  name: 'credit_check_log_isolated_total',
  help: 'Checks the check log could not store as they were: escaped (stored with control characters escaped) or parked (not stored; logged with the reason)',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});

/** The outbox recipe kind of a flush's hit events (decision 0057). */
export const CHECK_HITS_RECIPE = 'enforcement.check-hits';

/**
 * Every check is logged, and every hit becomes a `credit.check.hit.v1` event (one per entry hit) — off the
 * hot path: records are buffered and written in one transaction (log rows and outbox events together)
 * every 50 ms. A crash can lose at most that last 50 ms of log; the answers themselves were already given.
 * A flush's hit events are one outbox row (decision 0057): on the bus each is still its own record.
 */
@Injectable()
export class CheckLog implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private buffer: CheckRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly logger: Logger;

  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ service: 'enforcement', component: 'check-log' });
    messaging.relay.registerRecipe(CHECK_HITS_RECIPE, rebuildCheckHits);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(check: CheckRecord): void {
    this.buffer.push(check);
    if (this.buffer.length >= FLUSH_ROWS) void this.flush();
  }

  /** Writes what is buffered; resolves when everything recorded before the call is stored. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    const kept = await this.storeIsolating(batch);
    if (kept.length > 0) this.buffer = kept.concat(this.buffer); // kept for the next flush
  }

  /**
   * Stores a batch; when the database refuses it for what a record holds, splits it in halves until the
   * record is found, so that one bad record never holds up the others (the rest are stored as before).
   * That record is stored with its odd characters escaped, or else parked (logged with the reason).
   * Returns what is left for the next flush: everything, when the database itself is failing.
   */
  private async storeIsolating(batch: CheckRecord[]): Promise<CheckRecord[]> {
    try {
      await this.store(batch);
      return [];
    } catch (err) {
      if (!mayBeRecordFault(err)) {
        this.logger.error(
          { err, pending: batch.length + this.buffer.length },
          'check log write failed; retrying',
        );
        return batch;
      }
      if (batch.length > 1) {
        const half = batch.length >> 1;
        const first = await this.storeIsolating(batch.slice(0, half));
        return first.concat(await this.storeIsolating(batch.slice(half)));
      }
      return this.storeEscaped(batch[0], err);
    }
  }

  private async storeEscaped(check: CheckRecord, refused: unknown): Promise<CheckRecord[]> {
    const where = {
      checkId: check.id,
      dept: check.dept,
      subjectId: maskIdentifier(escapeUnstorable(check.subjectId)),
    };
    try {
      await this.store([escapedCheck(check)]);
      checkLogIsolated.inc({ outcome: 'escaped' });
      this.logger.warn(
        { ...where, err: refused },
        'check refused by the database; stored with its text escaped',
      );
    } catch (err) {
      if (!mayBeRecordFault(err)) return [check];
      checkLogIsolated.inc({ outcome: 'parked' });
      this.logger.error({ ...where, err, refused }, 'check could not be stored even escaped; parked');
    }
    return [];
  }

  /** The log rows and the hit events of a batch, in one transaction. */
  private async store(batch: readonly CheckRecord[]): Promise<void> {
    await this.db.transaction(async (manager) => {
      // COPY, on the transaction's own connection: no JSON document for the database to parse and
      // take apart (jsonb_to_recordset), no parameter arrays to escape and parse
      const rows = checkLogCopyText(batch);
      const embedded = embeddedPostgresOf(this.db);
      if (embedded) {
        await embedded.copyFrom('enforcement.checks', CHECK_COLUMNS, rows); // PGlite: no COPY protocol
      } else {
        const client = (manager.queryRunner as unknown as { databaseConnection: PoolClient })
          .databaseConnection;
        await pipeline(Readable.from([rows]), client.query(copyFrom(COPY_CHECKS)));
      }
      await this.messaging.outbox.addRecipe(manager, checkHitsRecipe(batch.flatMap(hitMessages)));
    });
  }
}

/** The check as the database can hold it: every text escaped, an unreadable time replaced by now. */
export function escapedCheck(check: CheckRecord): CheckRecord {
  const copy = escapeUnstorableDeep({ ...check, at: undefined }) as CheckRecord;
  return { ...copy, at: Number.isNaN(check.at?.getTime?.()) ? new Date() : check.at };
}

const NULL = '\\N';
const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value in COPY's text format (backslash, newline, carriage return and tab escaped). */
function copyText(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]) : value;
}

/** The rows of `enforcement.checks` for a batch, in COPY's text format (columns as in COPY_CHECKS). */
export function checkLogCopyText(batch: readonly CheckRecord[]): string {
  let text = '';
  for (const c of batch) {
    text +=
      `${c.id}\t${copyText(c.dept)}\t${copyText(c.actor)}\t${copyText(c.subjectId)}\t${copyText(c.action)}` +
      `\t${c.stage == null ? NULL : copyText(c.stage)}\t${copyText(c.decision)}` +
      `\t${c.reasons.length === 0 ? '[]' : copyText(JSON.stringify(c.reasons))}\t${c.at.toISOString()}\n`;
  }
  return text;
}

/**
 * A flush's hit events as one outbox row (decision 0057): the row holds the events themselves (the
 * check log's rows do not keep the assignment ids a hit names), so rebuilding them needs no query; the
 * relay sends them as one record each, keyed by the subject, as it would have sent one row each.
 */
export function checkHitsRecipe(hits: OutboxMessage[]): OutboxRecipe {
  const records: RecipeRecord[] = hits.map((h) => ({ key: h.key, value: JSON.stringify(h.event) }));
  return {
    kind: CHECK_HITS_RECIPE,
    topic: Topics.feedback,
    eventType: EventTypes.checkHit,
    // the events as text, in record order: rebuilt byte for byte
    data: records.map((r) => [r.key, r.value]),
    records,
  };
}

/** The records of check-hit recipe rows (each one's data), when the relay does not hold them in memory. */
export function rebuildCheckHits(_manager: unknown, data: unknown[]): Promise<RecipeRecord[][]> {
  return Promise.resolve(
    data.map((rows) => (rows as [string, string][]).map(([key, value]) => ({ key, value }))),
  );
}

/** One hit event per entry the check found binding (a subject may be on several lists). */
export function hitMessages(check: CheckRecord): OutboxMessage[] {
  const byEntry = new Map<string, ActiveMeasure[]>();
  for (const m of check.binding) byEntry.set(m.entryId, [...(byEntry.get(m.entryId) ?? []), m]);
  return [...byEntry.entries()].map(([entryId, measures]) => {
    const data: CheckHitV1 = {
      checkId: check.id,
      entryId,
      dept: check.dept,
      actor: check.actor,
      subjectId: check.subjectId,
      action: check.action,
      ...(check.stage ? { stage: check.stage } : {}),
      decision: check.decision,
      assignments: measures.map((m) => ({
        assignmentId: m.assignmentId,
        measureCode: m.measureCode,
        dept: m.dept,
        mode: m.mode,
      })),
      at: check.at.toISOString(),
    };
    return {
      topic: Topics.feedback,
      key: measures[0].subjectId,
      event: createCloudEvent({
        type: EventTypes.checkHit,
        source: ENFORCEMENT_SOURCE,
        subject: entryId,
        actorDept: check.dept,
        data,
        time: check.at,
      }),
    };
  });
}
