import { context, Context, ROOT_CONTEXT, SpanContext, trace, TraceFlags } from '@opentelemetry/api';

/**
 * W3C trace context carried inside a CloudEvent (the Distributed Tracing extension, attribute
 * `traceparent`). The outbox writes it as the envelope's first member, `{"traceparent":"00-…",`, so that
 * the relay can read it off a serialised payload without parsing the event.
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE = '0'.repeat(32);
const INVALID_SPAN = '0'.repeat(16);
const HEAD = '{"traceparent":"';
/** `00-` + 32 + `-` + 16 + `-` + 2 */
const TRACEPARENT_LENGTH = 55;

/** The `traceparent` value of a span context (version 00). */
export function formatTraceparent(sc: SpanContext): string {
  const flags = (sc.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${sc.traceId}-${sc.spanId}-${flags}`;
}

/** The span context a `traceparent` value names, or undefined when it is missing or malformed. */
export function parseTraceparent(value: unknown): SpanContext | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TRACEPARENT.exec(value);
  if (!m || m[1] === INVALID_TRACE || m[2] === INVALID_SPAN) return undefined;
  return {
    traceId: m[1],
    spanId: m[2],
    traceFlags: parseInt(m[3], 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
}

/** A context whose parent is the `traceparent` (the active one when it is missing or malformed). */
export function contextOfTraceparent(value: unknown, base: Context = ROOT_CONTEXT): Context {
  const sc = parseTraceparent(value);
  return sc ? trace.setSpanContext(base, sc) : base;
}

/**
 * Runs `fn` outside the active trace: a background pass woken by one request works for many (a batch of
 * documents, of jobs), so its spans start their own traces instead of joining the waking request's.
 */
export function outsideAnyTrace<T>(fn: () => T): T {
  return context.with(ROOT_CONTEXT, fn);
}

/** The `traceparent` of the active span, if there is one. */
export function activeTraceparent(): string | undefined {
  const sc = trace.getSpan(context.active())?.spanContext();
  return sc && trace.isSpanContextValid(sc) ? formatTraceparent(sc) : undefined;
}

/**
 * A serialised CloudEvent with `traceparent` as its first member. A `traceparent` already further in
 * stays, and wins when the JSON is read (the last duplicate member counts): an event is never re-parented.
 */
export function withLeadingTraceparent(json: string, traceparent: string): string;
export function withLeadingTraceparent(json: Buffer, traceparent: string): Buffer;
export function withLeadingTraceparent(json: string | Buffer, traceparent: string): string | Buffer;
export function withLeadingTraceparent(json: string | Buffer, traceparent: string): string | Buffer {
  if (typeof json === 'string') {
    if (!json.startsWith('{') || json.startsWith(HEAD)) return json;
    return `${HEAD}${traceparent}",${json.slice(1)}`;
  }
  if (json[0] !== 0x7b || leadingTraceparent(json) !== undefined) return json;
  return Buffer.concat([Buffer.from(`${HEAD}${traceparent}",`), json.subarray(1)]);
}

/** The `traceparent` a serialised CloudEvent begins with (as the outbox writes it), if it does. */
export function leadingTraceparent(json: string | Buffer): string | undefined {
  const head =
    typeof json === 'string'
      ? json.slice(0, HEAD.length + TRACEPARENT_LENGTH + 1)
      : json.toString('latin1', 0, HEAD.length + TRACEPARENT_LENGTH + 1);
  if (!head.startsWith(HEAD) || head[head.length - 1] !== '"') return undefined;
  const value = head.slice(HEAD.length, HEAD.length + TRACEPARENT_LENGTH);
  return parseTraceparent(value) ? value : undefined;
}
