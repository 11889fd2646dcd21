import {
  context,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { platformTracer, tracingEnabled } from './tracing';

// the stable HTTP attribute names of the semantic conventions, written out: the package's index loads
// every convention (hundreds of kB) into each process at start, tracing on or off (issue 17)
const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
const ATTR_HTTP_ROUTE = 'http.route';

const spans = new WeakMap<FastifyRequest, Span>();

/** Probes and scrapes: no span (they would be most of the spans and tell nothing). */
function untraced(route: string): boolean {
  return route.startsWith('/health') || route === '/metrics';
}

/**
 * A SERVER span per request, continuing the caller's `traceparent` header when it sends one. The span is
 * made active from the preHandler on (after the body is read), so that what the route does — an outbox
 * write, a query — is its child. Only registered when tracing is on (`service` names the process's part).
 */
export function registerHttpTracing(fastify: FastifyInstance, service: string): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    if (!tracingEnabled() || untraced(route)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = platformTracer().startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_HTTP_ROUTE]: route,
          'credit.service': service,
        },
      },
      parent,
    );
    spans.set(request, span);
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (!span) return done();
    context.with(trace.setSpan(ROOT_CONTEXT, span), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    end(request, undefined);
    done();
  });
}

function end(request: FastifyRequest, status: number | undefined): void {
  const span = spans.get(request);
  if (!span) return;
  spans.delete(request);
  if (status === undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'request aborted' });
  } else {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
