import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { EventTypes, Topics } from '@credit/contracts';
import { createCloudEvent, MessageBus } from '@credit/messaging';
import { parseTraceparent, setupTracing, TracingHandle, tracingEnabled } from '@credit/platform';
import { DECISION, entry, uscc } from '../registry/registry-fixtures';
import { measureBody, seedCatalog } from '../support/catalog-fixtures';
import { waitFor } from '../support/infra';
import { KafkaProbe, TopicReader } from '../support/kafka-probe';
import { api, startPlatform, TestPlatform } from '../support/services';

/** Keeps every span it was given, also after the provider shut down (the in-memory one forgets them). */
class KeepingExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

const attr = (s: ReadableSpan, name: string) => s.attributes[name];
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const traceOf = (s: ReadableSpan) => s.spanContext().traceId;
const hasType = (s: ReadableSpan, type: string) =>
  String(attr(s, 'cloudevents.event_type') ?? '')
    .split(',')
    .includes(type);

/**
 * One publish followed across the four services by its trace (decision 0049): registry's request, the
 * outbox write (its context stored in the event as `traceparent`), the relay's publish, trigger's
 * consumer, the assignments' outbox write and enforcement's consumer — one trace, each a child of the one
 * before, exported through an in-memory exporter registered with the platform's own setup function.
 */
describe('traces: a publish followed to the assignments it caused', () => {
  const exporter = new KeepingExporter();
  let tracing: TracingHandle | undefined;
  let platform: TestPlatform;
  let probe: KafkaProbe;
  let listEntries: TopicReader;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    tracing = setupTracing({ serviceName: 'credit-e2e', exporter, exportEachSpan: true });
    platform = await startPlatform();
    probe = new KafkaProbe(platform.topicPrefix);
    t.admin = await platform.token('CREDIT_OFFICE', ['admin']);
    t.court = await platform.token('COURT', ['initiator']);
    t.finance = await platform.token('FINANCE', ['implementer']);
    t.supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    await seedCatalog(platform, t.admin, { measures: [measureBody('TRACE-BAN', 'FINANCE')] });
    listEntries = await probe.read(Topics.listEntries);
  });

  afterAll(async () => {
    await probe?.close();
    await platform?.close();
    await tracing?.shutdown();
  });

  const publishEntry = (org: string) =>
    entry(
      { url: platform.url.registry },
      t.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: uscc(org), name: `traced ${org}` },
        decision: DECISION,
      },
      ['notice', 'publish'],
    );

  /** The implementer's inbox holds the entry's assignment: enforcement applied the issued event. */
  const assignmentArrived = (entryId: string) =>
    waitFor(
      async () => {
        const res = await api<{ items: { entryId: string }[] }>(
          'GET',
          `${platform.url.enforcement}/v1/inbox`,
          {
            token: t.finance,
          },
        );
        return res.body.items?.some((i) => i.entryId === entryId);
      },
      { message: `the assignment of ${entryId} in the implementer's inbox`, timeoutMs: 60_000 },
    );

  const publishedRecordOf = (entryId: string) =>
    waitFor(
      () =>
        listEntries.records.find(
          (r) => r.value?.includes(entryId) && r.value.includes(EventTypes.listEntryPublished),
        ),
      { message: `the published event of ${entryId} on the topic`, timeoutMs: 30_000 },
    );

  it('shares one trace from the publish request to enforcement’s consumer, each span the child of the one before', async () => {
    const entryId = await publishEntry('TRACE001');
    await assignmentArrived(entryId);

    const http = exporter.spans.find(
      (s) =>
        s.kind === SpanKind.SERVER &&
        attr(s, 'http.route') === '/v1/list-entries/:id/publish' &&
        attr(s, 'credit.service') === 'registry',
    );
    expect(http).toBeDefined();
    expect(attr(http!, 'http.response.status_code')).toBe(200);
    const trace = traceOf(http!);
    const inTrace = () => exporter.spans.filter((s) => traceOf(s) === trace);

    // enforcement's consumer ends after its transaction: wait for it rather than for the inbox only
    const enforcementConsumer = await waitFor(
      () =>
        inTrace().find(
          (s) =>
            s.kind === SpanKind.CONSUMER &&
            attr(s, 'messaging.consumer.group.name') === 'enforcement.assignments' &&
            hasType(s, EventTypes.assignmentIssued),
        ),
      { message: "enforcement's consumer span in the publish's trace", timeoutMs: 30_000 },
    );
    // the listing decision and the repair notice the publish asked for, issued by the documents pass
    await waitFor(
      () =>
        listEntries.records.find(
          (r) => r.value?.includes(entryId) && r.value.includes(EventTypes.documentIssued),
        ),
      { message: `the documents of ${entryId} issued`, timeoutMs: 30_000 },
    );
    const spans = inTrace();
    // that pass works for every request that woke it: its writes and sends start their own traces
    expect(spans.filter((s) => hasType(s, EventTypes.documentIssued))).toEqual([]);
    if (process.env.TRACE_DUMP)
      process.stdout.write(
        spans
          .map((s) => `${idOf(s)} <- ${parentOf(s) ?? 'root'} ${s.name} ${JSON.stringify(s.attributes)}`)
          .join('\n') + '\n',
      );
    const one = (what: string, match: (s: ReadableSpan) => boolean) => {
      const found = spans.filter(match);
      expect({ what, count: found.length }).toEqual({ what, count: 1 });
      return found[0];
    };
    const registryWrite = one(
      'registry outbox write',
      (s) => attr(s, 'credit.service') === 'registry' && hasType(s, EventTypes.listEntryPublished),
    );
    // the relay's publish: one attempt that succeeded, after any that failed (a broker that does not host a
    // new topic's partition yet fails a pass, and the relay tries the same rows again in the same trace)
    const registrySends = spans.filter(
      (s) =>
        s.kind === SpanKind.PRODUCER &&
        attr(s, 'messaging.operation.type') === 'send' &&
        attr(s, 'credit.service') === 'registry' &&
        String(attr(s, 'messaging.destination.name')).endsWith(Topics.listEntries),
    );
    const failedSends = registrySends.filter((s) => s.status.code === SpanStatusCode.ERROR);
    const registryPublish = one('registry relay publish that succeeded', (s) =>
      registrySends.filter((send) => !failedSends.includes(send)).includes(s),
    );
    for (const failed of failedSends) expect(parentOf(failed)).toBe(idOf(registryWrite));
    const triggerConsumer = one(
      "trigger's fan-out consumer",
      (s) =>
        s.kind === SpanKind.CONSUMER &&
        attr(s, 'messaging.consumer.group.name') === 'trigger.list-entries' &&
        hasType(s, EventTypes.listEntryPublished),
    );
    const assignmentWrite = one(
      'the assignments issued, written to trigger’s outbox',
      (s) =>
        attr(s, 'credit.service') === 'trigger' &&
        attr(s, 'messaging.operation.type') === 'create' &&
        hasType(s, EventTypes.assignmentIssued),
    );

    expect(parentOf(registryWrite)).toBe(idOf(http!));
    expect(parentOf(registryPublish)).toBe(idOf(registryWrite));
    expect(parentOf(triggerConsumer)).toBe(idOf(registryWrite));
    // the transport context (the relay's publish) is a link of the consumer's span
    expect(triggerConsumer.links.map((l) => l.context.spanId)).toContain(idOf(registryPublish));
    expect(parentOf(assignmentWrite)).toBe(idOf(triggerConsumer));
    expect(parentOf(enforcementConsumer)).toBe(idOf(assignmentWrite));

    // the event on the topic carries the outbox write's context as its `traceparent` extension
    const record = await publishedRecordOf(entryId);
    const event = JSON.parse(record.value!) as { traceparent?: string };
    expect(parseTraceparent(event.traceparent)).toMatchObject({
      traceId: trace,
      spanId: idOf(registryWrite),
    });
    expect(parseTraceparent(record.headers.traceparent)).toMatchObject({
      traceId: trace,
      spanId: idOf(registryPublish),
    });
  });

  it('consumes an event without a traceparent (written before tracing) as the start of a trace', async () => {
    const entryId = await publishEntry('TRACE002');
    await assignmentArrived(entryId);
    const published = JSON.parse((await publishedRecordOf(entryId)).value!) as {
      data: Record<string, unknown>;
      actordept?: string;
    };
    // an old event: the same data for a new entry, no traceparent, no header
    const copyId = '00000000-0000-4000-8000-00000000e017';
    const old = createCloudEvent({
      type: EventTypes.listEntryPublished,
      source: 'credit/test',
      actorDept: published.actordept,
      data: {
        ...published.data,
        entryId: copyId,
        subject: { ...(published.data.subject as object), id: uscc('TRACE003'), name: 'old' },
      },
    });
    expect(old).not.toHaveProperty('traceparent');
    await platform.app.registry
      .get(MessageBus)
      .publish([{ topic: Topics.listEntries, key: uscc('TRACE003'), value: JSON.stringify(old) }]);
    await waitFor(
      async () =>
        (
          await api<{ items: unknown[] }>('GET', `${platform.url.trigger}/v1/assignments?entryId=${copyId}`, {
            token: t.supervisor,
          })
        ).body.items?.length === 1,
      { message: 'the old event fanned out', timeoutMs: 30_000 },
    );
    const consumer = await waitFor(
      () =>
        exporter.spans.find(
          (s) =>
            attr(s, 'messaging.consumer.group.name') === 'trigger.list-entries' &&
            attr(s, 'cloudevents.event_id') === old.id,
        ),
      { message: "trigger's span of the old event" },
    );
    expect(consumer.parentSpanContext).toBeUndefined();
  });

  it('once tracing is off, exports nothing and writes events without a traceparent that are still consumed', async () => {
    await tracing!.shutdown();
    tracing = undefined;
    expect(tracingEnabled()).toBe(false);
    const before = exporter.spans.length;
    const entryId = await publishEntry('TRACE004');
    await assignmentArrived(entryId);
    const record = await publishedRecordOf(entryId);
    expect(JSON.parse(record.value!)).not.toHaveProperty('traceparent');
    expect(record.headers).not.toHaveProperty('traceparent');
    expect(exporter.spans.length).toBe(before);
  });
});
