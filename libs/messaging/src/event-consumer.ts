import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { CloudEvent, deadLetterTopic, validateEventData } from '@credit/contracts';
import { maskIdentifier, messagesConsumed } from '@credit/platform';
import { EnvelopeError, parseCloudEvent } from './cloud-events';
import { isTransientInfrastructureError, RejectedEventError } from './errors';
import { IncomingRecord, MessageBus, Subscription } from './message-bus';

export interface HandlerContext {
  /** The transaction the effect must be written in (it also holds the inbox row). */
  manager: EntityManager;
  record: IncomingRecord;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventHandler = (event: CloudEvent<any>, context: HandlerContext) => Promise<void>;

export interface ConsumerDefinition {
  /** Consumer group id and inbox name, e.g. `trigger.list-entries`. */
  name: string;
  topics: string[];
  /** Handlers by event type; `*` catches every type. Types without a handler are skipped. */
  handlers: Record<string, EventHandler>;
  concurrency?: number;
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
  /** Runs after an effect committed (e.g. to wake the outbox relay). */
  afterCommit?: () => void;
}

type Outcome = 'applied' | 'duplicate' | 'ignored' | 'dead_lettered';

/**
 * Idempotent consumer: validates each record where it is read, applies it in one transaction together
 * with its inbox row (so a redelivered event changes nothing), retries failures with backoff, and parks
 * what cannot be applied on `<topic>.dlq` with the reason — then goes on with the next record.
 */
export class EventConsumer {
  private subscription?: Subscription;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly definition: ConsumerDefinition,
    private readonly options: EventConsumerOptions,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  get name(): string {
    return this.definition.name;
  }

  async start(): Promise<void> {
    this.subscription = await this.options.bus.subscribe({
      groupId: this.definition.name,
      topics: this.definition.topics,
      concurrency: this.definition.concurrency,
      handle: async (record) => {
        await this.handle(record);
      },
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Handles one record; resolves once it is applied, skipped or dead-lettered. */
  async handle(record: IncomingRecord): Promise<Outcome> {
    const outcome = await this.process(record);
    messagesConsumed.inc({ consumer: this.definition.name, topic: record.topic, outcome });
    return outcome;
  }

  private async process(record: IncomingRecord): Promise<Outcome> {
    let event: CloudEvent;
    try {
      event = parseCloudEvent(record.value);
    } catch (err) {
      const e = err as EnvelopeError;
      await this.deadLetter(record, e.code, e.message);
      return 'dead_lettered';
    }
    const handler = this.definition.handlers[event.type] ?? this.definition.handlers['*'];
    if (!handler) return 'ignored';

    const violations = validateEventData(event.type, event.data);
    if (violations && violations.length > 0) {
      const detail = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
      await this.deadLetter(record, 'MESSAGE.INVALID_PAYLOAD', detail, event);
      return 'dead_lettered';
    }

    for (let attempt = 1; ; attempt += 1) {
      try {
        const applied = await this.options.dataSource.transaction(async (manager) => {
          const inserted: unknown[] = await manager.query(
            `INSERT INTO "${this.options.schema}".message_inbox (consumer, event_id, event_type)
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`,
            [this.definition.name, event.id, event.type],
          );
          if (inserted.length === 0) return false; // seen before: redelivery or replay
          await handler(event, { manager, record });
          return true;
        });
        if (!applied) return 'duplicate';
        this.options.afterCommit?.();
        return 'applied';
      } catch (err) {
        if (err instanceof RejectedEventError) {
          await this.deadLetter(record, err.code, err.message, event);
          return 'dead_lettered';
        }
        if (attempt >= this.retry.attempts) {
          if (isTransientInfrastructureError(err)) throw err; // keep our position; the bus redelivers
          await this.deadLetter(
            record,
            'MESSAGE.HANDLER_FAILED',
            `failed ${attempt} times: ${(err as Error).message}`,
            event,
          );
          return 'dead_lettered';
        }
        const delay = Math.min(this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
        this.options.logger.warn(
          { consumer: this.definition.name, eventId: event.id, type: event.type, attempt, delay, err },
          'event handler failed; retrying',
        );
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async deadLetter(record: IncomingRecord, code: string, reason: string, event?: CloudEvent) {
    this.options.logger.warn(
      {
        consumer: this.definition.name,
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
    await this.options.bus.publish([
      {
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
      },
    ]);
  }
}
