import { context, propagation, trace, Tracer } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';

/**
 * Tracing (decision 0049): manual spans over the OpenTelemetry API, exported over OTLP/HTTP when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Off, nothing is registered: the code that would make spans asks
 * `tracingEnabled()` first and does nothing else (no hooks, no traceparent, no span objects).
 */
let enabled = false;
let current: TracingHandle | undefined;

/** Whether a tracer provider was set up in this process: every span-making path checks this first. */
export function tracingEnabled(): boolean {
  return enabled;
}

/** The tracer every span of the platform comes from (the global provider's; a no-op one when off). */
export function platformTracer(): Tracer {
  return trace.getTracer('credit');
}

export interface TracingOptions {
  /** `service.name` of the spans (the process: a service, `embedded`) */
  serviceName: string;
  /** where spans go; default the OTLP/HTTP exporter, configured by the OTEL_EXPORTER_OTLP_* variables */
  exporter?: SpanExporter;
  /** export each span as it ends (tests with an in-memory exporter) instead of in batches */
  exportEachSpan?: boolean;
}

export interface TracingHandle {
  /** exports what is still buffered */
  flush(): Promise<void>;
  /** flushes, then unregisters the provider: tracing is off again in this process */
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider for the process (the async-local context manager and the W3C propagator
 * with it). Call it before the HTTP app is created: the request hooks are only added when it is on.
 * The sampler follows OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG (default: parent-based, always on).
 */
export function setupTracing(options: TracingOptions): TracingHandle {
  if (enabled) throw new Error('tracing is already set up in this process');
  // the SDK and the exporter are loaded here, not with this module: a process without tracing (the
  // default) does not pay for loading them at each start (issue 17: a restarted service's time to ready)
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const exporter = options.exporter ?? new OTLPTraceExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [
      options.exportEachSpan ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    ],
  });
  provider.register();
  enabled = true;
  const handle: TracingHandle = {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      if (current !== handle) return;
      enabled = false;
      current = undefined;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  current = handle;
  return handle;
}

/** Exports the spans still buffered (an app closing: the batch would otherwise go with the process). */
export async function flushTracing(): Promise<void> {
  await current?.flush();
}

/** Tracing as the environment says: on (OTLP over HTTP) when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
export function setupTracingFromEnv(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): TracingHandle | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true') return undefined;
  return setupTracing({ serviceName: env.OTEL_SERVICE_NAME || serviceName });
}
