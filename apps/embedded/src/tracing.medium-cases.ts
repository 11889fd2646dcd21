import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { EventTypes } from '@credit/contracts';
import { setupTracing, TracingHandle } from '@credit/platform';
import { measureBody } from '../../../test/support/catalog-seed';
import { waitFor } from '../../../test/support/infra';
import { MediumPlatform, startMedium } from '../../../test/support/medium';
import { DECISION, entry, seedRegistry, Tokens } from '../../../test/support/medium-registry';

const attr = (s: ReadableSpan, name: string) => s.attributes[name];
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const hasType = (s: ReadableSpan, type: string) =>
  String(attr(s, 'cloudevents.event_type') ?? '')
    .split(',')
    .includes(type);

/**
 * The embedded layout (one process, the in-process bus, PGlite) carries the trace as the distributed one
 * does (test/platform/tracing.e2e-cases.ts): the publish request, registry's outbox write, trigger's
 * consumer, the assignments written and enforcement's consumer in one trace, each the child of the last.
 */
describe('traces in the embedded layout', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: TracingHandle;
  let platform: MediumPlatform;
  let tokens: Tokens & { finance: string };

  beforeAll(async () => {
    tracing = setupTracing({ serviceName: 'embedded', exporter, exportEachSpan: true });
    platform = await startMedium();
    tokens = { ...(await seedRegistry(platform)), finance: await platform.token('FINANCE', ['implementer']) };
    expect(
      (
        await platform.api('POST', '/v1/departments', {
          token: tokens.admin,
          body: { code: 'FINANCE', name: 'FINANCE', region: '330100' },
        })
      ).status,
    ).toBe(201);
    const memorandum = await platform.api('POST', '/v1/memoranda', {
      token: tokens.admin,
      body: {
        code: 'MOU-TRACE',
        title: 't',
        documentNo: 'd',
        listTypes: ['COURT_DEFAULTER'],
        measures: [measureBody('TRACE-BAN', 'FINANCE', { text: 'trace' })],
      },
    });
    expect(memorandum.status).toBe(201);
  });
  afterAll(async () => {
    await platform?.close();
    await tracing?.shutdown();
  });

  it('follows a publish to enforcement’s consumer through the in-process bus', async () => {
    await entry(
      platform,
      tokens.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: '91330106MA2H7QK4XQ', name: '杭州某某科技有限公司' },
        decision: DECISION,
      },
      ['notice', 'publish'],
    );
    const spans = () => exporter.getFinishedSpans();
    const http = spans().find(
      (s) => s.kind === SpanKind.SERVER && attr(s, 'http.route') === '/v1/list-entries/:id/publish',
    )!;
    expect(http).toBeDefined();
    const trace = http.spanContext().traceId;
    const enforcement = await waitFor(
      () =>
        spans().find(
          (s) =>
            s.spanContext().traceId === trace &&
            attr(s, 'messaging.consumer.group.name') === 'enforcement.assignments' &&
            hasType(s, EventTypes.assignmentIssued),
        ),
      { message: "enforcement's consumer in the publish's trace", timeoutMs: 60_000 },
    );
    const inTrace = spans().filter((s) => s.spanContext().traceId === trace);
    const find = (match: (s: ReadableSpan) => boolean) => inTrace.find(match)!;
    const registryWrite = find(
      (s) => attr(s, 'credit.service') === 'registry' && hasType(s, EventTypes.listEntryPublished),
    );
    const trigger = find(
      (s) =>
        attr(s, 'messaging.consumer.group.name') === 'trigger.list-entries' &&
        hasType(s, EventTypes.listEntryPublished),
    );
    const assignments = find(
      (s) => attr(s, 'credit.service') === 'trigger' && hasType(s, EventTypes.assignmentIssued),
    );
    expect(parentOf(registryWrite)).toBe(idOf(http));
    expect(parentOf(trigger)).toBe(idOf(registryWrite));
    expect(parentOf(assignments)).toBe(idOf(trigger));
    expect(parentOf(enforcement)).toBe(idOf(assignments));
  });
});
