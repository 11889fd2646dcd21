import {
  Attributes,
  context,
  Context,
  createContextKey,
  Link,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { CloudEvent } from '@credit/contracts';
import {
  contextOfTraceparent,
  formatTraceparent,
  leadingTraceparent,
  parseTraceparent,
  platformTracer,
} from '@credit/platform';
import { IncomingRecord, OutgoingRecord } from './message-bus';

/**
 * The spans of the messaging path (decision 0049): an outbox write (whose context the event keeps as its
 * `traceparent` extension), the relay's publish (transport context in the record's `traceparent` header),
 * and a consumer's processing, a child of the event's `traceparent`. Every function here is only called
 * when `tracingEnabled()`: off, the messaging code never reaches this file.
 */

/**
 * In a batch consumer's transaction: the context of each record key's (last) event, so that what the
 * batch writes about a subject continues the trace of the event about that subject that caused it.
 */
const PARENTS_BY_KEY = createContextKey('credit.messaging.parents-by-key');

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
}

export interface OutboxWriteTrace {
  /** the `traceparent` an event with this key carries (the context of the span that wrote it) */
  traceparentOf(key: string): string;
  end(error?: unknown): void;
}

/**
 * Spans for an outbox write: one per parent context — the active span's, or in a batch consumer each
 * key's event — usually one.
 */
export function startOutboxWrite(
  service: string,
  messages: { key: string; topic: string; type: string }[],
): OutboxWriteTrace {
  const active = context.active();
  const byKey = active.getValue(PARENTS_BY_KEY) as Map<string, Context> | undefined;
  const first = messages[0];
  const types = [...new Set(messages.map((m) => m.type))].join(',');
  const topics = [...new Set(messages.map((m) => m.topic))].join(',');
  const spans = new Map<Context, { span: Span; traceparent: string }>();
  const byKeyOut = new Map<string, string>();
  for (const m of messages) {
    if (byKeyOut.has(m.key)) continue;
    const parent = byKey?.get(m.key) ?? active;
    let written = spans.get(parent);
    if (!written) {
      const span = platformTracer().startSpan(
        `outbox write ${first.topic}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.operation.type': 'create',
            'messaging.destination.name': topics,
            'messaging.batch.message_count': messages.length,
            'cloudevents.event_type': types,
            'credit.service': service,
          },
        },
        parent,
      );
      written = { span, traceparent: formatTraceparent(span.spanContext()) };
      spans.set(parent, written);
    }
    byKeyOut.set(m.key, written.traceparent);
  }
  return {
    traceparentOf: (key) => byKeyOut.get(key)!,
    end: (error) => {
      for (const { span } of spans.values()) {
        if (error !== undefined) fail(span, error);
        span.end();
      }
    },
  };
}

/** The event with `traceparent` as its first member (the relay reads it there: `leadingTraceparent`). */
export function withTraceparent(event: CloudEvent, traceparent: string): CloudEvent {
  const { traceparent: _previous, ...rest } = event;
  return { traceparent, ...rest } as CloudEvent;
}

/**
 * PRODUCER spans for a relay pass: one per event context among the records (events written untraced
 * get none), each record's `traceparent` header set to its span. Returns what ends them.
 */
export function startRelayPublish(service: string, records: OutgoingRecord[]): (error?: unknown) => void {
  const spans = new Map<string, { span: Span; header: string; count: number }>();
  for (let i = 0; i < records.length; i += 1) {
    const r = records[i];
    const traceparent = leadingTraceparent(r.value);
    if (traceparent === undefined) continue;
    let sent = spans.get(traceparent);
    if (!sent) {
      const span = platformTracer().startSpan(
        `publish ${r.topic}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.operation.type': 'send',
            'messaging.destination.name': r.topic,
            'credit.service': service,
          },
        },
        contextOfTraceparent(traceparent),
      );
      sent = { span, header: formatTraceparent(span.spanContext()), count: 0 };
      spans.set(traceparent, sent);
    }
    sent.count += 1;
    records[i] = { ...r, headers: { ...r.headers, traceparent: sent.header } };
  }
  return (error) => {
    for (const { span, count } of spans.values()) {
      span.setAttribute('messaging.batch.message_count', count);
      if (error !== undefined) fail(span, error);
      span.end();
    }
  };
}

function consumerAttributes(group: string, record: IncomingRecord, event: CloudEvent): Attributes {
  return {
    'messaging.operation.type': 'process',
    'messaging.destination.name': record.topic,
    'messaging.destination.partition.id': String(record.partition),
    'messaging.kafka.offset': Number(record.offset),
    'messaging.consumer.group.name': group,
    'messaging.message.id': event.id,
    'cloudevents.event_id': event.id,
    'cloudevents.event_type': event.type,
  };
}

/**
 * A CONSUMER span for one event: a child of the event's `traceparent` (where it was written), linked to
 * the record's transport context (the relay's publish) when that differs. An event without one (written
 * before tracing, or untraced) starts a trace of its own.
 */
export function startConsumerSpan(group: string, record: IncomingRecord, event: CloudEvent): Span {
  const links: Link[] = [];
  const transport = parseTraceparent(record.headers?.traceparent);
  if (transport) links.push({ context: transport });
  return platformTracer().startSpan(
    `process ${record.topic}`,
    { kind: SpanKind.CONSUMER, attributes: consumerAttributes(group, record, event), links },
    contextOfTraceparent(event.traceparent),
  );
}

/** Runs `fn` with `span` active; ends the span with `fn`'s outcome (`outcomeOf` names it). */
export async function inSpan<T>(span: Span, base: Context, fn: () => Promise<T>): Promise<T> {
  try {
    const result = await context.with(trace.setSpan(base, span), fn);
    if (typeof result === 'string') span.setAttribute('credit.outcome', result);
    return result;
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * The context a batch of events is applied in. One event: its own span. Several: a span of the batch,
 * linked to each event's span, that tells the outbox each key's event (see PARENTS_BY_KEY).
 */
export function startBatchSpan(
  group: string,
  topic: string,
  events: { record: IncomingRecord; span: Span }[],
): { span: Span; context: Context } {
  if (events.length === 1) {
    const { span } = events[0];
    return { span, context: trace.setSpan(ROOT_CONTEXT, span) };
  }
  const span = platformTracer().startSpan(
    `process ${topic} (${events.length})`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': group,
        'messaging.batch.message_count': events.length,
      },
      links: events.map((e) => ({ context: e.span.spanContext() })),
    },
    ROOT_CONTEXT,
  );
  const byKey = new Map<string, Context>();
  for (const e of events)
    if (e.record.key !== null) byKey.set(e.record.key, trace.setSpan(ROOT_CONTEXT, e.span));
  return { span, context: trace.setSpan(ROOT_CONTEXT, span).setValue(PARENTS_BY_KEY, byKey) };
}
