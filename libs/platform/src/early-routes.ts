import { createServer, IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * A route answered on the HTTP server itself, before Fastify's routing, hooks, body parser and reply
 * (decision 0069). It returns false, having read nothing, to leave the request to Fastify as it came; once
 * it returns true the request and its answer are its own. It is not asked once Fastify began to close.
 */
export type EarlyHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/** An early server's routes, Fastify's own request handler, and whether Fastify began to close. */
interface EarlyState {
  table: Map<string, EarlyHandler>;
  fastifyHandler: (request: IncomingMessage, response: ServerResponse) => void;
  closing: boolean;
  /** the preClose hook that sets `closing` is added (once per app, with its first early route) */
  watched: boolean;
}

const states = new WeakMap<Server, EarlyState>();

/** The server options Fastify sets on the server it makes itself (lib/server.js), kept with a factory. */
interface FactoryOptions {
  http?: ServerOptions;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
  return503OnClosing?: boolean;
}

/**
 * Fastify's `serverFactory` for every service: the same HTTP server Fastify would make (its timeouts
 * too), whose requests go first to the early handler of their exact method and path, if one was
 * registered (`answerBeforeFastify`), then to Fastify. Once Fastify began to close, every request is
 * Fastify's: it answers 503 with `Connection: close` (its `return503OnClosing`), as for its own routes.
 */
export function earlyServerFactory(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  options: FactoryOptions,
): Server {
  const table = new Map<string, EarlyHandler>();
  const state: EarlyState = { table, fastifyHandler: handler, closing: false, watched: false };
  const server = createServer(options.http ?? {}, (request, response) => {
    if (table.size > 0 && !state.closing) {
      const early = table.get(`${request.method} ${request.url}`);
      if (early !== undefined && early(request, response)) return;
    }
    handler(request, response);
  });
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
  server.setTimeout(options.connectionTimeout ?? 0);
  if ((options.maxRequestsPerSocket ?? 0) > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket!;
  // without the 503, Fastify's routes answer while it closes and an early handler could not hand a
  // request it has read to the route (inject refuses once closing): no early routes then
  if (options.return503OnClosing !== false) states.set(server, state);
  return server;
}

/**
 * Registers `handler` for requests whose method and path (no query) are exactly these, on an app whose
 * server came from `earlyServerFactory`; false (nothing registered) on any other server, e.g. one an
 * embedding app made, or with `return503OnClosing: false`: Fastify's own route then answers every
 * request, as before. Called before the app is ready, as a route is added.
 */
export function answerBeforeFastify(
  fastify: FastifyInstance,
  method: string,
  path: string,
  handler: EarlyHandler,
): boolean {
  const state = states.get(fastify.server as Server);
  if (!state) return false;
  if (!state.watched) {
    // Fastify marks itself closing, then runs the preClose hooks: from this one on, no request starts
    // in an early handler (the app's preClose hooks are callbacks called at once: the same turn)
    fastify.addHook('preClose', (done) => {
      state.closing = true;
      done();
    });
    state.watched = true;
  }
  state.table.set(`${method} ${path}`, handler);
  return true;
}

/**
 * For an early handler that read a request's body and would now hand it to Fastify's route
 * (`fastify.inject`, which refuses once Fastify is closing): when Fastify began to close, the request
 * is given to Fastify's own handler, which answers it as it answers every request then — 503 with
 * `Connection: close`, before it would read a body — and true is returned; false while not closing.
 */
export function answeredWhileClosing(
  fastify: FastifyInstance,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  const state = states.get(fastify.server as Server);
  if (!state?.closing) return false;
  state.fastifyHandler(request, response);
  return true;
}
