import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { pino } from 'pino';
import { PeriodicTask } from '../periodic-task';
import { activeTraceparent, outsideAnyTrace, parseTraceparent } from './trace-context';
import { platformTracer, setupTracing, setupTracingFromEnv, tracingEnabled } from './tracing';

describe('tracing setup', () => {
  it('stays off without OTEL_EXPORTER_OTLP_ENDPOINT: nothing registered, spans are the no-op API’s', () => {
    expect(setupTracingFromEnv('registry', {})).toBeUndefined();
    expect(setupTracingFromEnv('registry', { OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeUndefined();
    expect(
      setupTracingFromEnv('registry', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_SDK_DISABLED: 'true',
      }),
    ).toBeUndefined();
    expect(tracingEnabled()).toBe(false);
    const span = platformTracer().startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it('turns on with the endpoint set, and off again at shutdown', async () => {
    const handle = setupTracingFromEnv('registry', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(handle).toBeDefined();
    expect(tracingEnabled()).toBe(true);
    expect(() => setupTracing({ serviceName: 'twice' })).toThrow(/already/);
    await handle!.shutdown();
    expect(tracingEnabled()).toBe(false);
  });

  it('exports the spans to the exporter given, with the active span carried through async work', async () => {
    const exporter = new InMemorySpanExporter();
    const handle = setupTracing({ serviceName: 'unit', exporter, exportEachSpan: true });
    try {
      const parent = platformTracer().startSpan('parent', { kind: SpanKind.SERVER });
      const seen = await context.with(trace.setSpan(context.active(), parent), async () => {
        await new Promise((r) => setTimeout(r, 1));
        return activeTraceparent();
      });
      parent.end();
      const { traceId, spanId } = parent.spanContext();
      expect(parseTraceparent(seen)).toMatchObject({ traceId, spanId });
      const [span] = exporter.getFinishedSpans();
      expect(span.name).toBe('parent');
      expect(span.resource.attributes['service.name']).toBe('unit');
    } finally {
      await handle.shutdown();
    }
  });

  it('runs a background pass woken inside a request outside that request’s trace', async () => {
    const handle = setupTracing({ serviceName: 'unit', exporter: new InMemorySpanExporter() });
    try {
      const seen: (string | undefined)[] = [];
      const task = new PeriodicTask(
        0,
        async () => seen.push(activeTraceparent()),
        pino({ enabled: false }),
        'pass',
      );
      const request = platformTracer().startSpan('request', { kind: SpanKind.SERVER });
      const inRequest = await context.with(trace.setSpan(context.active(), request), async () => {
        task.wake();
        return [activeTraceparent(), await outsideAnyTrace(async () => activeTraceparent())];
      });
      request.end();
      await task.stop();
      expect(parseTraceparent(inRequest[0])).toMatchObject({ spanId: request.spanContext().spanId });
      expect(inRequest[1]).toBeUndefined();
      expect(seen).toEqual([undefined]);
    } finally {
      await handle.shutdown();
    }
  });
});
