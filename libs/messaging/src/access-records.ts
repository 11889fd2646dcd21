import {
  applyDecorators,
  BeforeApplicationShutdown,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  OnApplicationBootstrap,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { Observable, tap } from 'rxjs';
import { randomUUID } from 'node:crypto';
import type { Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AccessRecordedV1, AccessRecordV1, EventTypes, Topics } from '@credit/contracts';
import { maskPersonalText, metricsRegistry, ROOT_LOGGER } from '@credit/platform';
import { createCloudEvent } from './cloud-events';
import type { OutboxMessage } from './outbox';
import type { ServiceMessaging } from './service-messaging';

/** One read of personal data (decision 0021): who, which subject, what, when. */
export type AccessRecord = AccessRecordV1;

/** DI token of a service's access recorder (each service module provides its own). */
export const ACCESS_RECORDER = Symbol('ACCESS_RECORDER');
const RECORDS_ACCESS_KEY = 'credit:records-access';

const accessRecordsDropped = new Counter({
  name: 'credit_access_records_dropped_total',
  help: 'access records that could not be stored even alone (poison) or overflowed the buffer',
  labelNames: ['service', 'why'] as const,
  registers: [metricsRegistry],
});

const MAX_TEXT = 256;
const MAX_ATTEMPTS = 5;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * A text of an access record made storable whatever it holds: control characters written as `\uXXXX`
 * (PostgreSQL's text cannot hold NUL), cut to 256 characters. So one odd value never fails a batch.
 */
export function storableText(value: string): string {
  const text = value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
  return CONTROL.test(text)
    ? text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : text;
}

/** An access record with every text storable (see storableText). */
export function storableRecord(r: AccessRecord): AccessRecord {
  return {
    sub: storableText(String(r.sub ?? '')),
    dept: storableText(String(r.dept ?? '')),
    role: storableText(String(r.role ?? '')),
    ...(r.subjectId ? { subjectId: storableText(String(r.subjectId)) } : {}),
    what: storableText(String(r.what ?? '')) || '?',
    at: r.at,
  };
}

/** Keys under which an object's `id` is a subject's identifier in the platform's views. */
const SUBJECT_HOLDERS = new Set(['subject', 'target', 'relatedPersons', 'legalRepresentative']);
/** Keys whose value is a subject's identifier wherever they appear. */
const SUBJECT_KEYS = new Set(['subjectId', 'targetId', 'identifier']);

/**
 * The subjects whose data a response shows: `subjectId`, `identifier`, and the `id` of a `subject`,
 * `target` or related person, anywhere in it (entries, look-ups, assignments, inbox items, trails).
 * Masked identifiers (with `*`) are left out: they identify no one by themselves.
 */
export function subjectsInResponse(body: unknown, max = 1000): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, depth: number, holder: string): void => {
    if (found.size >= max || depth > 8 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1, holder);
      return;
    }
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string') {
        const isSubject = SUBJECT_KEYS.has(key) || (key === 'id' && SUBJECT_HOLDERS.has(holder));
        if (isSubject && v !== '' && !v.includes('*')) found.add(v);
      } else {
        walk(v, depth + 1, key);
      }
    }
  };
  walk(body, 0, '');
  return [...found];
}

export interface AccessRecorderOptions {
  service: string;
  logger: Logger;
  /** stores a batch (in one transaction); throws when it cannot */
  write: (records: AccessRecord[]) => Promise<void>;
  flushMs?: number;
  maxBuffered?: number;
}

/**
 * Collects access records and stores them in batches, off the request: a read answers without waiting
 * for its record. A batch that fails is written again record by record, so a record that cannot be
 * stored (poison) is dropped alone (counted, logged masked) and never holds back the others; when every
 * record fails (the database is away) the batch is kept for the next flush, up to `maxBuffered`.
 */
export class AccessRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private buffer: AccessRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly flushMs: number;
  private readonly maxBuffered: number;
  /** flushes at which a record could not be stored, while nothing else could either */
  private readonly attempts = new WeakMap<AccessRecord, number>();

  constructor(private readonly options: AccessRecorderOptions) {
    this.flushMs = options.flushMs ?? 200;
    this.maxBuffered = options.maxBuffered ?? 100_000;
  }

  onApplicationBootstrap(): void {
    this.timer ??= setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Records that `principal` read `what`, showing each of `subjects` (none: one record without one). */
  recordRead(
    principal: { sub: string; dept: string; roles: readonly string[] },
    what: string,
    subjects: readonly string[],
    at = new Date(),
  ): void {
    const base = { sub: principal.sub, dept: principal.dept, role: principal.roles.join(','), what };
    const time = at.toISOString();
    if (subjects.length === 0) this.push({ ...base, at: time });
    for (const subjectId of subjects) this.push({ ...base, subjectId, at: time });
  }

  private push(record: AccessRecord): void {
    if (this.buffer.length >= this.maxBuffered) {
      accessRecordsDropped.inc({ service: this.options.service, why: 'overflow' });
      return;
    }
    this.buffer.push(storableRecord(record));
  }

  /** Stores what is buffered; resolves when everything recorded before the call was handled. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  private async writeBuffered(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      await this.options.write(batch);
      return;
    } catch (err) {
      this.options.logger.warn({ err, records: batch.length }, 'access records batch failed; one by one');
    }
    const failed: { record: AccessRecord; err: unknown }[] = [];
    for (const record of batch) {
      try {
        await this.options.write([record]);
      } catch (err) {
        failed.push({ record, err });
      }
    }
    if (failed.length === 0) return;
    let poison = failed;
    if (failed.length === batch.length) {
      // nothing could be stored: the store is likely away, not the records at fault — try again later;
      // a record that failed alone at several flushes in a row is poison all the same
      poison = [];
      const kept: AccessRecord[] = [];
      for (const f of failed) {
        const attempts = (this.attempts.get(f.record) ?? 0) + 1;
        this.attempts.set(f.record, attempts);
        if (attempts >= MAX_ATTEMPTS) poison.push(f);
        else kept.push(f.record);
      }
      this.buffer = kept.concat(this.buffer).slice(0, this.maxBuffered);
      if (poison.length === 0) return;
    }
    for (const { record, err } of poison) {
      this.options.logger.error(
        { err, what: record.what, dept: record.dept, subjectId: maskPersonalText(record.subjectId ?? '') },
        'access record could not be stored; dropped',
      );
    }
    accessRecordsDropped.inc({ service: this.options.service, why: 'poison' }, poison.length);
  }
}

/**
 * Marks a route that reads personal data: after it answers, who read which subjects is recorded in the
 * access log (subjects taken from the answer, the `subjectId` query and the `identifier` path parameter).
 * `what` defaults to the route (`GET /v1/list-entries/:id`).
 */
export const RecordsAccess = (what?: string) =>
  applyDecorators(SetMetadata(RECORDS_ACCESS_KEY, what ?? ''), UseInterceptors(AccessRecordingInterceptor));

interface ReadRequest {
  method: string;
  routeOptions?: { url?: string };
  query?: Record<string, unknown>;
  params?: Record<string, unknown>;
  principal?: { sub: string; dept: string; roles: string[] };
}

@Injectable()
export class AccessRecordingInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_RECORDER) private readonly recorder: AccessRecorder,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<ReadRequest>();
    const what =
      this.reflector.get<string>(RECORDS_ACCESS_KEY, context.getHandler()) ||
      `${request.method} ${request.routeOptions?.url ?? '?'}`;
    const record = (body: unknown) => {
      const principal = request.principal;
      if (!principal) return;
      const subjects = subjectsInResponse(body);
      for (const asked of [request.query?.subjectId, request.params?.identifier]) {
        if (typeof asked !== 'string') continue;
        const id = asked.trim().toUpperCase(); // as identifiers are stored (normalised)
        if (id !== '' && !subjects.includes(id)) subjects.push(id);
      }
      this.recorder.recordRead(principal, what, subjects);
    };
    // a refused or missed read is recorded too (a look-up of an identifier that is not listed)
    return next.handle().pipe(tap({ next: record, error: () => record(undefined) }));
  }
}

/** Records per `credit.access.recorded.v1` event: a Kafka message stays well under its 1 MB limit. */
const RECORDS_PER_EVENT = 500;

/**
 * The access recorder of a service that does not own the access log: its batches go through its outbox
 * to topic `credit.access`, which enforcement stores in its access log (decision 0021).
 */
export function outboxAccessRecorderProvider(
  tokens: { dataSource: symbol; messaging: symbol },
  service: string,
  source: string,
): Provider {
  return {
    provide: ACCESS_RECORDER,
    inject: [tokens.dataSource, tokens.messaging, ROOT_LOGGER],
    useFactory: (db: DataSource, messaging: ServiceMessaging, logger: Logger) =>
      new AccessRecorder({
        service,
        logger: logger.child({ service, component: 'access-recorder' }),
        write: async (records) => {
          const messages: OutboxMessage[] = [];
          for (let i = 0; i < records.length; i += RECORDS_PER_EVENT) {
            const data: AccessRecordedV1 = { service, records: records.slice(i, i + RECORDS_PER_EVENT) };
            // reads are not ordered per subject: a random key spreads them over the partitions
            messages.push({
              topic: Topics.access,
              key: randomUUID(),
              event: createCloudEvent({ type: EventTypes.accessRecorded, source, data }),
            });
          }
          await db.transaction((manager) => messaging.outbox.add(manager, messages));
          messaging.relay.wake();
        },
      }),
  };
}
