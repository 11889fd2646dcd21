import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import {
  activeTraceparent,
  contextOfTraceparent,
  formatTraceparent,
  leadingTraceparent,
  parseTraceparent,
  withLeadingTraceparent,
} from './trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const SAMPLED = `00-${TRACE}-${SPAN}-01`;

describe('traceparent', () => {
  it('formats and parses a span context (W3C trace context, version 00)', () => {
    const sc = { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED };
    expect(formatTraceparent(sc)).toBe(SAMPLED);
    expect(parseTraceparent(SAMPLED)).toEqual({ ...sc, isRemote: true });
    expect(formatTraceparent({ ...sc, traceFlags: TraceFlags.NONE })).toBe(`00-${TRACE}-${SPAN}-00`);
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)?.traceFlags).toBe(TraceFlags.NONE);
  });

  it.each([
    ['missing', undefined],
    ['not a string', 42],
    ['empty', ''],
    ['upper case', SAMPLED.toUpperCase()],
    ['another version', `01-${TRACE}-${SPAN}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['trailing text', `${SAMPLED}-x`],
  ])('refuses a value that is %s', (_what, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('makes a context whose span is the remote parent, or leaves the base as it was', () => {
    const sc = trace.getSpanContext(contextOfTraceparent(SAMPLED));
    expect(sc).toMatchObject({ traceId: TRACE, spanId: SPAN, isRemote: true });
    expect(contextOfTraceparent('garbage')).toBe(ROOT_CONTEXT);
    expect(contextOfTraceparent(undefined)).toBe(ROOT_CONTEXT);
  });

  it('has no active traceparent without a span (tracing.spec.ts reads one with a span)', () => {
    expect(activeTraceparent()).toBeUndefined();
  });
});

describe('traceparent as the first member of a serialised CloudEvent', () => {
  const event = { specversion: '1.0', id: 'e-1', type: 't', data: { name: '名' } };
  const json = JSON.stringify(event);

  it('is put first in text and in bytes, and the event reads the same otherwise', () => {
    const text = withLeadingTraceparent(json, SAMPLED);
    expect(text.startsWith(`{"traceparent":"${SAMPLED}",`)).toBe(true);
    expect(JSON.parse(text)).toEqual({ traceparent: SAMPLED, ...event });
    const bytes = withLeadingTraceparent(Buffer.from(json), SAMPLED);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({ traceparent: SAMPLED, ...event });
  });

  it('is read back off the front, from text and from bytes', () => {
    expect(leadingTraceparent(withLeadingTraceparent(json, SAMPLED))).toBe(SAMPLED);
    expect(leadingTraceparent(withLeadingTraceparent(Buffer.from(json), SAMPLED))).toBe(SAMPLED);
    expect(leadingTraceparent(json)).toBeUndefined();
    expect(leadingTraceparent(Buffer.from(json))).toBeUndefined();
    // a traceparent elsewhere in the event is not the writer's: not read
    expect(leadingTraceparent(JSON.stringify({ ...event, traceparent: SAMPLED }))).toBeUndefined();
    expect(leadingTraceparent('{"traceparent":"not-one","id":"x"}')).toBeUndefined();
  });

  it('is not put twice, and an event that is not a JSON object is left alone', () => {
    const once = withLeadingTraceparent(json, SAMPLED);
    const other = `00-${TRACE}-${'1'.repeat(16)}-01`;
    expect(withLeadingTraceparent(once, other)).toBe(once);
    const bytes = withLeadingTraceparent(Buffer.from(json), SAMPLED);
    expect(withLeadingTraceparent(bytes, other)).toBe(bytes);
    expect(withLeadingTraceparent('[1]', SAMPLED)).toBe('[1]');
    expect(withLeadingTraceparent(Buffer.from('[1]'), SAMPLED).toString()).toBe('[1]');
  });
});
