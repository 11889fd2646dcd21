import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { DataSource } from 'typeorm';
import { createCloudEvent, KafkaBus, Outbox, OutboxRelay } from '@credit/messaging';
import {
  formatTraceparent,
  leadingTraceparent,
  parseTraceparent,
  platformTracer,
  setupTracing,
  TracingHandle,
} from '@credit/platform';
import { createKafkaBus, createMessagingDatabase, testLogger, uniquePrefix, waitFor } from '../support/infra';
import { KafkaProbe } from '../support/kafka-probe';

/**
 * The outbox keeps each event's trace context (decision 0049) through every way a row reaches the bus:
 * an event object, an event the writer serialised, and a recipe the relay has to rebuild (written by
 * an outbox that keeps nothing in memory, as after a restart) — each record begins with the
 * `traceparent` of the outbox write's span and carries the relay's publish span as its header.
 */
const SCHEMA = 'svc';
const TOPIC = 'outbox.traced';

describe('outbox and relay with tracing on', () => {
  const prefix = uniquePrefix();
  const exporter = new InMemorySpanExporter();
  const outbox = new Outbox(SCHEMA); // no cache: every recipe is rebuilt by its resolver
  let tracing: TracingHandle;
  let db: Awaited<ReturnType<typeof createMessagingDatabase>>;
  let dataSource: DataSource;
  let bus: KafkaBus;
  let probe: KafkaProbe;
  let relay: OutboxRelay;

  beforeAll(async () => {
    tracing = setupTracing({ serviceName: 'outbox-test', exporter, exportEachSpan: true });
    db = await createMessagingDatabase(SCHEMA);
    dataSource = db.dataSource;
    bus = createKafkaBus(prefix, 'outbox-tracing-test');
    await bus.ensureTopics([{ topic: TOPIC, partitions: 2 }]);
    probe = new KafkaProbe(prefix);
    relay = new OutboxRelay({ service: 'test', schema: SCHEMA, dataSource, bus, logger: testLogger() });
    relay.registerRecipe('test.runs', async (_manager, data) =>
      (data as { keys: string[] }[]).map((d) =>
        d.keys.map((key, i) => ({ key, value: JSON.stringify({ id: `run-${i}`, key }) })),
      ),
    );
  });

  afterAll(async () => {
    await probe?.close();
    await bus?.close();
    await db?.close();
    await tracing?.shutdown();
  });

  it('publishes every kind of row with the traceparent of its write and the relay’s span as header', async () => {
    const request = platformTracer().startSpan('POST /v1/test', { kind: SpanKind.SERVER });
    const event = createCloudEvent({ type: 'credit.test.happened.v1', source: '/test', data: { n: 1 } });
    const serialised = createCloudEvent({ type: 'credit.test.happened.v1', source: '/test', data: { n: 2 } });
    await context.with(trace.setSpan(context.active(), request), () =>
      dataSource.transaction(async (manager) => {
        await outbox.add(manager, [{ topic: TOPIC, key: 'k1', event }]);
        await outbox.add(manager, [
          {
            topic: TOPIC,
            key: 'k2',
            eventId: serialised.id,
            eventType: serialised.type,
            payload: JSON.stringify(serialised),
          },
        ]);
        await outbox.addRecipe(manager, {
          kind: 'test.runs',
          topic: TOPIC,
          eventType: 'credit.test.run.v1',
          data: { keys: ['k1', 'k3'] },
          records: [
            { key: 'k1', value: JSON.stringify({ id: 'run-0', key: 'k1' }) },
            { key: 'k3', value: JSON.stringify({ id: 'run-1', key: 'k3' }) },
          ],
        });
      }),
    );
    request.end();
    const [recipeRow] = await dataSource.query(
      `SELECT recipe::text AS recipe FROM ${SCHEMA}.message_outbox WHERE recipe IS NOT NULL`,
    );
    expect(Object.keys(JSON.parse(recipeRow.recipe).traces).sort()).toEqual(['k1', 'k3']);

    const reader = await probe.read(TOPIC);
    while ((await relay.publishPending()) > 0);
    await waitFor(() => reader.records.length >= 4, { message: `4 records (got ${reader.records.length})` });

    const spans = exporter.getFinishedSpans();
    const writes = spans.filter((s) => s.name === `outbox write ${TOPIC}`);
    expect(writes).toHaveLength(3);
    for (const w of writes) expect(w.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    const publishes = spans.filter((s) => s.name === `publish ${TOPIC}`);
    expect(publishes).toHaveLength(3); // one per event context: each write is one
    for (const record of reader.records) {
      const written = leadingTraceparent(record.value!);
      const write = writes.find((w) => formatTraceparent(w.spanContext()) === written);
      expect(write).toBeDefined();
      const publish = publishes.find((p) => p.parentSpanContext?.spanId === write!.spanContext().spanId)!;
      expect(parseTraceparent(record.headers.traceparent)?.spanId).toBe(publish.spanContext().spanId);
      expect(JSON.parse(record.value!).traceparent).toBe(written);
    }
    // the recipe's records, rebuilt by the resolver, carry the context of the recipe's write
    const run = reader.records.filter((r) => JSON.parse(r.value!).id.startsWith('run-'));
    expect(run).toHaveLength(2);
    expect(new Set(run.map((r) => leadingTraceparent(r.value!))).size).toBe(1);
  });
});
