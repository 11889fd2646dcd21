import { context, ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { CloudEvent, deadLetterTopic, PayloadOf, validateEventData } from '@credit/contracts';
import { deadLetters } from './messaging-metrics';
import { escapeUnstorable, maskIdentifier, messagesConsumed, tracingEnabled } from '@credit/platform';
import { EnvelopeError, parseCloudEvent } from './cloud-events';
import { isDataException, isTransientInfrastructureError, RejectedEventError } from './errors';
import { DeadLetterReasons } from './messaging.errors';
import { IncomingRecord, MessageBus, OutgoingRecord, Subscription } from './message-bus';
import { inSpan, startBatchSpan, startConsumerSpan } from './message-tracing';
import { EVENT_TYPE_HEADER } from './outbox';

export interface HandlerContext {
  /** The transaction the effect must be written in (it also holds the inbox row). */
  manager: EntityManager;
  record: IncomingRecord;
  /** Runs `fn` once the transaction committed (e.g. to invalidate caches); never if it rolls back. */
  onCommitted(fn: () => void): void;
}

/** Applies one event; `T` its payload, as the consumer validated it where it read it. */
export type EventHandler<T = unknown> = (event: CloudEvent<T>, context: HandlerContext) => Promise<void>;

/** Applies several consecutive events of one type at once (set-based database work). */
export type BatchEventHandler<T = unknown> = (
  events: { event: CloudEvent<T>; record: IncomingRecord }[],
  context: Omit<HandlerContext, 'record'>,
) => Promise<void>;

/**
 * Handlers by event type: each receives `CloudEvent<PayloadOf<its type>>` (decision 0043), so a handler
 * bound to the wrong type does not compile. `*` and a type outside the contract take `unknown` data.
 */
export type EventHandlers<K extends string = string> = { [T in K]: EventHandler<PayloadOf<T>> };
export type BatchEventHandlers<K extends string = string> = { [T in K]: BatchEventHandler<PayloadOf<T>> };

/** The same handler for several types: it takes the payload of any of them. */
export function handleEach<const K extends string>(
  types: readonly K[],
  handler: EventHandler<PayloadOf<K>>,
): EventHandlers<K> {
  // a handler of the union of the types' payloads takes each type's payload
  return Object.fromEntries(types.map((type) => [type, handler])) as Record<K, EventHandler<PayloadOf<K>>>;
}

/** What a consumer does in memory the moment it reads an event of a type (`ConsumerDefinition.heard`). */
export type EventHeard<K extends string = string> = { [T in K]?: (event: CloudEvent<PayloadOf<T>>) => void };

export interface ConsumerDefinition<K extends string = string, B extends string = string> {
  /** Consumer group id and inbox name, e.g. `trigger.list-entries`. */
  name: string;
  topics: string[];
  /** Handlers by event type; `*` catches every type. Types without a handler are skipped. */
  handlers: EventHandlers<K>;
  /**
   * Optional set-based handlers by event type, used for runs of consecutive events of that type within
   * a batch; the single-event handler of the same type must do the same thing (it is used when a batch
   * has to be retried record by record).
   */
  batchHandlers?: BatchEventHandlers<B>;
  /**
   * Optional, by event type: called with each valid event as soon as it is read, before its transaction
   * and whether or not it was seen before (a redelivery or a replay is heard again). Only for effects
   * in memory that are right before the commit and harmless when repeated (decision 0067); the handler
   * still does the event's work. A hook that throws is logged and changes nothing else.
   */
  heard?: EventHeard<K>;
  concurrency?: number;
  /**
   * Records applied in one transaction (default 200; 1 turns batching off). A batch that fails is
   * applied again record by record, so one bad record never holds up the others.
   */
  maxBatch?: number;
  /**
   * `false`: no inbox row (decision 0068). Only for a projection whose every handler is idempotent by its
   * rows' own keys and whose state after a key's events replayed in order is the state after applying
   * them once (insert if absent, delete, set a value) — Kafka redelivers a partition in order, and the
   * relay re-sends a pass before anything written after it — so a redelivery applies again harmlessly.
   * It saves an inbox row per record where a stream is copied row for row (registry's measures in force).
   */
  inbox?: false;
  /**
   * An audit consumer never drops what it was sent: a record that would be dead-lettered (unreadable,
   * invalid, or refused by its handler or the database) is handed to this instead, in a transaction with
   * its inbox row, to be stored as it came (escaped). If this fails too, the record is dead-lettered.
   */
  keepUnprocessable?: (
    record: IncomingRecord,
    problem: Unprocessable,
    manager: EntityManager,
  ) => Promise<void>;
}

/** Why a record could not be applied: the dead letter's code and reason, and the event if it was read. */
export interface Unprocessable {
  code: string;
  reason: string;
  event?: CloudEvent;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 5000 };

export interface EventConsumerOptions {
  schema: string;
  dataSource: DataSource;
  bus: MessageBus;
  logger: Logger;
  retry?: RetryPolicy;
}

type Outcome = 'applied' | 'duplicate' | 'ignored' | 'dead_lettered' | 'kept_unprocessable';

/**
 * A definition as the consumer runs it: handlers by the type read at run time. Each is called only with
 * an event whose data its type's schema accepted (or of a type outside the contract: `unknown` data), so
 * erasing the payload types here is sound.
 */
type Registered = Omit<ConsumerDefinition, 'handlers' | 'batchHandlers' | 'heard'> & {
  handlers: Readonly<Record<string, EventHandler<never>>>;
  heard?: Readonly<Record<string, ((event: CloudEvent<never>) => void) | undefined>>;
  batchHandlers?: Readonly<Record<string, BatchEventHandler<never>>>;
};

interface Ready {
  record: IncomingRecord;
  /** validated against its type's schema: what the handler of its type takes */
  event: CloudEvent<never>;
  handler: EventHandler<never>;
}

/**
 * Idempotent consumer: validates each record where it is read, applies it in one transaction together
 * with its inbox row (so a redelivered event changes nothing), retries failures with backoff, and parks
 * what cannot be applied on `<topic>.dlq` with the reason — then goes on with the next record.
 */
export class EventConsumer<K extends string = string, B extends string = string> {
  private subscription?: Subscription;
  private readonly retry: RetryPolicy;
  private readonly definition: Registered;

  constructor(
    definition: ConsumerDefinition<K, B>,
    private readonly options: EventConsumerOptions,
  ) {
    this.definition = definition;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  private get maxBatch(): number {
    return this.definition.maxBatch ?? 200;
  }

  get name(): string {
    return this.definition.name;
  }

  get topics(): string[] {
    return this.definition.topics;
  }

  async start(): Promise<void> {
    this.subscription = await this.options.bus.subscribe({
      groupId: this.definition.name,
      topics: this.definition.topics,
      concurrency: this.definition.concurrency,
      handle: async (record) => {
        await this.handle(record);
      },
      ...(this.maxBatch > 1
        ? { handleBatch: (records: IncomingRecord[]) => this.handleBatch(records), maxBatch: this.maxBatch }
        : {}),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Handles one record; resolves once it is applied, skipped or dead-lettered. */
  async handle(record: IncomingRecord): Promise<Outcome> {
    const outcome = await this.process(record);
    this.count(record, outcome);
    return outcome;
  }

  /**
   * Applies consecutive records of one partition in one transaction (one commit instead of one per
   * record). When a record fails, the ones before it are applied again as a batch, the failing one goes
   * through the usual retries and dead letter (its attempt in the batch counts as its first), and the
   * rest continue as a batch: one bad record never holds up or doubles the others.
   */
  async handleBatch(records: IncomingRecord[]): Promise<void> {
    let pending: Ready[] = [];
    // the unreadable records' dead letters go in one publish: one round trip each (acks from every
    // replica) made a backlog of them take minutes on a loaded machine (issue 17)
    const parked: OutgoingRecord[] = [];
    for (const record of records) {
      const read = await this.read(record, parked);
      if ('outcome' in read) this.count(record, read.outcome);
      else pending.push({ record, ...read });
    }
    if (parked.length > 0) await this.options.bus.publish(parked);
    while (pending.length > 0) {
      const result = await this.applyBatch(pending);
      if (result.ok) return;
      const { index, error } = result;
      if (index > 0) {
        const before = await this.applyBatch(pending.slice(0, index));
        // records that just succeeded failing now: take them one by one
        if (!before.ok)
          for (const r of pending.slice(0, index)) this.count(r.record, await this.applyWithRetries(r));
      }
      this.count(pending[index].record, await this.applyWithRetries(pending[index], error));
      pending = pending.slice(index + 1);
    }
  }

  /**
   * One transaction for all: the inbox rows, then each handler in order. Traced (decision 0049): a span
   * per event, a child of its `traceparent`; the batch runs in the one event's span, or in a span of the
   * batch linked to each when there are several.
   */
  private async applyBatch(
    ready: Ready[],
  ): Promise<{ ok: true } | { ok: false; index: number; error: unknown }> {
    if (!tracingEnabled()) return this.applyBatchUntraced(ready);
    const events = ready.map((r) => ({
      record: r.record,
      span: startConsumerSpan(this.definition.name, r.record, r.event),
    }));
    const batch = startBatchSpan(this.definition.name, ready[0].record.topic, events);
    try {
      const result = await context.with(batch.context, () => this.applyBatchUntraced(ready));
      if (!result.ok) batch.span.setStatus({ code: SpanStatusCode.ERROR, message: String(result.error) });
      return result;
    } finally {
      for (const e of events) if (e.span !== batch.span) e.span.end();
      batch.span.end();
    }
  }

  private async applyBatchUntraced(
    ready: Ready[],
  ): Promise<{ ok: true } | { ok: false; index: number; error: unknown }> {
    let current = 0;
    const committed: (() => void)[] = [];
    const onCommitted = (fn: () => void) => committed.push(fn);
    try {
      const applied = await this.options.dataSource.transaction(async (manager) => {
        const inserted: { event_id: string }[] =
          this.definition.inbox === false
            ? ready.map((r) => ({ event_id: r.event.id }))
            : await manager.query(
                `INSERT INTO "${this.options.schema}".message_inbox (consumer, event_id, event_type)
                 SELECT $1, id, type FROM unnest($2::text[], $3::text[]) AS e(id, type)
                 ON CONFLICT DO NOTHING RETURNING event_id`,
                [this.definition.name, ready.map((r) => r.event.id), ready.map((r) => r.event.type)],
              );
        const fresh = new Set(inserted.map((r) => r.event_id));
        const done = new Set<string>();
        const isNew = (r: Ready) => fresh.has(r.event.id) && !done.has(r.event.id); // not seen, not twice here
        for (current = 0; current < ready.length; current += 1) {
          const { record, event, handler } = ready[current];
          if (!isNew(ready[current])) continue;
          const batchHandler = this.definition.batchHandlers?.[event.type];
          if (batchHandler) {
            // a run of consecutive new events of this type, applied at once
            const run: Ready[] = [];
            let end = current;
            for (; end < ready.length && ready[end].event.type === event.type; end += 1) {
              if (isNew(ready[end]) && !run.some((r) => r.event.id === ready[end].event.id))
                run.push(ready[end]);
            }
            await batchHandler(
              run.map((r) => ({ event: r.event, record: r.record })),
              { manager, onCommitted },
            );
            for (const r of run) done.add(r.event.id);
            current = end - 1;
            continue;
          }
          await handler(event, { manager, record, onCommitted });
          done.add(event.id);
        }
        return done;
      });
      this.runCommitted(committed);
      // an event twice in one batch was applied once: its second record is a duplicate
      const counted = new Set<string>();
      for (const { record, event } of ready) {
        this.count(record, applied.has(event.id) && !counted.has(event.id) ? 'applied' : 'duplicate');
        counted.add(event.id);
      }
      return { ok: true };
    } catch (error) {
      // a failure before any handler ran (the inbox insert, the commit) is charged to the first record
      return { ok: false, index: Math.min(current, ready.length - 1), error };
    }
  }

  /** Parses and validates a record: ready to apply, or settled already (skipped, dead-lettered). */
  private async read(
    record: IncomingRecord,
    parked?: OutgoingRecord[],
  ): Promise<{ outcome: Outcome } | Omit<Ready, 'record'>> {
    // a type nobody here handles, named by the relay's header: skipped unread (a consumer with `*` reads all)
    const declared = record.headers[EVENT_TYPE_HEADER];
    if (declared !== undefined && !this.definition.handlers['*'] && !this.definition.handlers[declared])
      return { outcome: 'ignored' };
    let event: CloudEvent;
    try {
      event = parseCloudEvent(record.value);
    } catch (err) {
      const e = err as EnvelopeError;
      return { outcome: await this.unprocessable(record, e.code, e.message, undefined, parked) };
    }
    const handler = this.definition.handlers[event.type] ?? this.definition.handlers['*'];
    if (!handler) return { outcome: 'ignored' };
    const violations = validateEventData(event.type, event.data);
    if (violations && violations.length > 0) {
      const detail = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
      return {
        outcome: await this.unprocessable(
          record,
          DeadLetterReasons.INVALID_PAYLOAD.code,
          detail,
          event,
          parked,
        ),
      };
    }
    this.hear(event as CloudEvent<never>);
    return { event: event as CloudEvent<never>, handler };
  }

  private hear(event: CloudEvent<never>): void {
    const heard = this.definition.heard?.[event.type];
    if (!heard) return;
    try {
      heard(event);
    } catch (err) {
      this.options.logger.warn({ eventId: event.id, type: event.type, err }, 'event hook failed');
    }
  }

  private async process(record: IncomingRecord): Promise<Outcome> {
    const read = await this.read(record);
    if ('outcome' in read) return read.outcome;
    return this.applyWithRetries({ record, ...read });
  }

  /**
   * Applies one record in its own transaction with its inbox row, retrying with backoff; dead-letters it
   * when the handler rejects it or the attempts run out. `firstError`: it already failed once (in a batch).
   */
  private async applyWithRetries(ready: Ready, firstError?: unknown): Promise<Outcome> {
    if (!tracingEnabled()) return this.applyWithRetriesUntraced(ready, firstError);
    // a child of the event's `traceparent` (decision 0049): what the handler writes continues its trace
    const span = startConsumerSpan(this.definition.name, ready.record, ready.event);
    return inSpan(span, ROOT_CONTEXT, () => this.applyWithRetriesUntraced(ready, firstError));
  }

  private async applyWithRetriesUntraced(
    { record, event, handler }: Ready,
    firstError?: unknown,
  ): Promise<Outcome> {
    let error = firstError;
    for (let attempt = firstError === undefined ? 1 : 2; ; attempt += 1) {
      if (error !== undefined) {
        if (error instanceof RejectedEventError) {
          return this.unprocessable(record, error.code, error.message, event);
        }
        const failed = attempt - 1;
        // a value refused in the record's own transaction (in a batch, another record may be at fault)
        if (isDataException(error) && error !== firstError) {
          const { code, message } = error as { code: string; message: string };
          return this.unprocessable(
            record,
            DeadLetterReasons.HANDLER_FAILED.code,
            `the database refused a value (SQLSTATE ${code}): ${message}`,
            event,
          );
        }
        if (failed >= this.retry.attempts) {
          if (isTransientInfrastructureError(error)) throw error; // keep our position; the bus redelivers
          return this.unprocessable(
            record,
            DeadLetterReasons.HANDLER_FAILED.code,
            `failed ${failed} times: ${(error as Error).message}`,
            event,
          );
        }
        const delay = Math.min(this.retry.baseDelayMs * 2 ** (failed - 1), this.retry.maxDelayMs);
        this.options.logger.warn(
          {
            eventId: event.id,
            type: event.type,
            attempt: failed,
            delay,
            err: error,
          },
          'event handler failed; retrying',
        );
        await new Promise((r) => setTimeout(r, delay));
      }
      const committed: (() => void)[] = [];
      try {
        const applied = await this.options.dataSource.transaction(async (manager) => {
          const inserted: unknown[] =
            this.definition.inbox === false
              ? [event.id]
              : await manager.query(
                  `INSERT INTO "${this.options.schema}".message_inbox (consumer, event_id, event_type)
                   VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`,
                  [this.definition.name, event.id, event.type],
                );
          if (inserted.length === 0) return false; // seen before: redelivery or replay
          await handler(event, { manager, record, onCommitted: (fn) => committed.push(fn) });
          return true;
        });
        if (!applied) return 'duplicate';
        this.runCommitted(committed);
        return 'applied';
      } catch (err) {
        error = err;
      }
    }
  }

  private runCommitted(callbacks: (() => void)[]): void {
    for (const fn of callbacks) {
      try {
        fn();
      } catch (err) {
        this.options.logger.error({ err }, 'after-commit callback failed');
      }
    }
  }

  private count(record: IncomingRecord, outcome: Outcome): void {
    messagesConsumed.inc({ consumer: this.definition.name, topic: record.topic, outcome });
  }

  /**
   * A record that cannot be applied: kept by the consumer's `keepUnprocessable` (an audit consumer), once
   * per event (inbox), else dead-lettered with the reason. `parked`: the dead letter is added to it, for
   * the caller to publish, instead of being published here.
   */
  private async unprocessable(
    record: IncomingRecord,
    code: string,
    reason: string,
    event?: CloudEvent,
    parked?: OutgoingRecord[],
  ): Promise<Outcome> {
    const keep = this.definition.keepUnprocessable;
    if (keep) {
      const id =
        typeof event?.id === 'string' ? event.id : `${record.topic}/${record.partition}/${record.offset}`;
      const type = typeof event?.type === 'string' ? event.type : 'unknown';
      try {
        const kept = await this.options.dataSource.transaction(async (manager) => {
          const inserted: unknown[] = await manager.query(
            `INSERT INTO "${this.options.schema}".message_inbox (consumer, event_id, event_type)
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`,
            [this.definition.name, escapeUnstorable(id), escapeUnstorable(type)],
          );
          if (inserted.length === 0) return false;
          await keep(record, { code, reason, event }, manager);
          return true;
        });
        if (!kept) return 'duplicate';
        return 'kept_unprocessable';
      } catch (err) {
        if (isTransientInfrastructureError(err)) throw err; // keep our position; the bus redelivers
        this.options.logger.error(
          { err, code, eventId: event?.id },
          'keeping an unprocessable record failed',
        );
      }
    }
    const letter = this.deadLetter(record, code, reason, event);
    if (parked) parked.push(letter);
    else await this.options.bus.publish([letter]);
    return 'dead_lettered';
  }

  /** Logs and counts a record parked on `<topic>.dlq`; returns the record to publish there. */
  private deadLetter(
    record: IncomingRecord,
    code: string,
    reason: string,
    event?: CloudEvent,
  ): OutgoingRecord {
    this.options.logger.warn(
      {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        key: maskIdentifier(record.key),
        eventId: event?.id,
        type: event?.type,
        code,
        reason,
      },
      'message dead-lettered',
    );
    deadLetters.inc({ consumer: this.definition.name, topic: record.topic, code });
    return {
      topic: deadLetterTopic(record.topic),
      key: record.key ?? '',
      value: record.value ?? '',
      headers: {
        ...record.headers,
        'dlq-code': code,
        'dlq-reason': reason.slice(0, 2000),
        'dlq-consumer': this.definition.name,
        'dlq-original-topic': record.topic,
        'dlq-original-partition': String(record.partition),
        'dlq-original-offset': record.offset,
        'dlq-failed-at': new Date().toISOString(),
      },
    };
  }
}
