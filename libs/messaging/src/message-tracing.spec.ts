import { context, SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  formatTraceparent,
  leadingTraceparent,
  parseTraceparent,
  setupTracing,
  TracingHandle,
  withLeadingTraceparent,
} from '@credit/platform';
import { createCloudEvent } from './cloud-events';
import { IncomingRecord, OutgoingRecord } from './message-bus';
import {
  startBatchSpan,
  startConsumerSpan,
  startOutboxWrite,
  startRelayPublish,
  withTraceparent,
} from './message-tracing';

const WRITTEN = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const SENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01';

const incoming = (key: string, value: string, headers: Record<string, string> = {}): IncomingRecord => ({
  topic: 'credit.list-entries',
  partition: 0,
  offset: '7',
  key,
  value: Buffer.from(value),
  headers,
});

describe('spans of the messaging path', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: TracingHandle;
  beforeAll(() => {
    tracing = setupTracing({ serviceName: 'unit', exporter, exportEachSpan: true });
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => exporter.reset());

  it('puts traceparent first in the event, replacing one it had', () => {
    const event = { ...createCloudEvent({ type: 't', source: 's', data: {} }), traceparent: SENT };
    const traced = withTraceparent(event, WRITTEN);
    expect(Object.keys(traced)[0]).toBe('traceparent');
    expect(leadingTraceparent(JSON.stringify(traced))).toBe(WRITTEN);
    expect(event.traceparent).toBe(SENT); // the caller's event is not changed
  });

  it('consumes an event as a child of its traceparent, linked to the record’s transport context', () => {
    const event = { ...createCloudEvent({ type: 't', source: 's', data: {} }), traceparent: WRITTEN };
    const span = startConsumerSpan('trigger.list-entries', incoming('k', '{}', { traceparent: SENT }), event);
    span.end();
    const [done] = exporter.getFinishedSpans();
    expect(done.kind).toBe(SpanKind.CONSUMER);
    expect(done.spanContext().traceId).toBe(parseTraceparent(WRITTEN)!.traceId);
    expect(done.parentSpanContext?.spanId).toBe(parseTraceparent(WRITTEN)!.spanId);
    expect(done.links.map((l) => l.context.spanId)).toEqual([parseTraceparent(SENT)!.spanId]);
    expect(done.attributes['messaging.consumer.group.name']).toBe('trigger.list-entries');
  });

  it('starts a trace for an event without a traceparent', () => {
    const event = createCloudEvent({ type: 't', source: 's', data: {} });
    startConsumerSpan('g', incoming('k', '{}'), event).end();
    const [done] = exporter.getFinishedSpans();
    expect(done.parentSpanContext).toBeUndefined();
    expect(done.links).toEqual([]);
  });

  it('writes, in a batch of several events, each key’s messages in the trace of that key’s event', () => {
    const ev = (tp: string) => ({
      ...createCloudEvent({ type: 't', source: 's', data: {} }),
      traceparent: tp,
    });
    const a = `00-${'a'.repeat(32)}-${'a'.repeat(16)}-01`;
    const b = `00-${'b'.repeat(32)}-${'b'.repeat(16)}-01`;
    const events = [
      { record: incoming('key-a', '{}'), event: ev(a) },
      { record: incoming('key-b', '{}'), event: ev(b) },
    ].map((e) => ({ record: e.record, span: startConsumerSpan('g', e.record, e.event) }));
    const batch = startBatchSpan('g', 'credit.list-entries', events);
    const traced = context.with(batch.context, () =>
      startOutboxWrite('trigger', [
        { key: 'key-a', topic: 'credit.assignments', type: 'x' },
        { key: 'key-b', topic: 'credit.assignments', type: 'x' },
        { key: 'key-c', topic: 'credit.assignments', type: 'x' },
      ]),
    );
    expect(parseTraceparent(traced.traceparentOf('key-a'))!.traceId).toBe('a'.repeat(32));
    expect(parseTraceparent(traced.traceparentOf('key-b'))!.traceId).toBe('b'.repeat(32));
    // a key no event of the batch had: the batch's own trace
    expect(parseTraceparent(traced.traceparentOf('key-c'))!.traceId).toBe(batch.span.spanContext().traceId);
    traced.end();
    for (const e of events) e.span.end();
    batch.span.end();
    const spans = exporter.getFinishedSpans();
    const batchSpan = spans.find((s) => s.name.startsWith('process credit.list-entries ('))!;
    expect(batchSpan.links.map((l) => l.context.spanId).sort()).toEqual(
      events.map((e) => e.span.spanContext().spanId).sort(),
    );
    const writes = spans.filter((s) => s.name === 'outbox write credit.assignments');
    expect(writes.map((w) => w.parentSpanContext?.spanId).sort()).toEqual(
      [...events.map((e) => e.span.spanContext().spanId), batchSpan.spanContext().spanId].sort(),
    );
  });

  it('runs a batch of one event in that event’s own span', () => {
    const record = incoming('k', '{}');
    const span = startConsumerSpan('g', record, createCloudEvent({ type: 't', source: 's', data: {} }));
    expect(startBatchSpan('g', 'credit.list-entries', [{ record, span }]).span).toBe(span);
    span.end();
  });

  it('publishes with a producer span per event context, each record’s header its span', () => {
    const other = `00-${'c'.repeat(32)}-${'c'.repeat(16)}-01`;
    const records: OutgoingRecord[] = [
      { topic: 'credit.assignments', key: 'k1', value: withLeadingTraceparent('{"id":"1"}', WRITTEN) },
      {
        topic: 'credit.assignments',
        key: 'k2',
        value: withLeadingTraceparent(Buffer.from('{"id":"2"}'), WRITTEN),
      },
      { topic: 'credit.assignments', key: 'k3', value: withLeadingTraceparent('{"id":"3"}', other) },
      { topic: 'credit.assignments', key: 'k4', value: '{"id":"4"}', headers: { 'content-type': 'x' } },
    ];
    const end = startRelayPublish('trigger', records);
    end();
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    const first = spans.find((s) => s.parentSpanContext?.spanId === parseTraceparent(WRITTEN)!.spanId)!;
    expect(first.kind).toBe(SpanKind.PRODUCER);
    expect(first.attributes['messaging.batch.message_count']).toBe(2);
    expect(records[0].headers?.traceparent).toBe(formatTraceparent(first.spanContext()));
    expect(records[1].headers?.traceparent).toBe(formatTraceparent(first.spanContext()));
    expect(parseTraceparent(records[2].headers?.traceparent)!.traceId).toBe('c'.repeat(32));
    // an event written untraced goes out as it was
    expect(records[3].headers).toEqual({ 'content-type': 'x' });
  });
});
