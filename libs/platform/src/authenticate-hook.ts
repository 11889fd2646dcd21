import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, Principal, TokenVerifier, unauthorized } from '@credit/auth';
import { isConsoleRoute } from './console-static';
import { sendProblem } from './problem-details';

/** Paths served without a token: health, metrics, the API documents and the public disclosure. */
export function isPublicPath(url: string): boolean {
  return (
    url.startsWith('/health/') ||
    url === '/metrics' ||
    url.startsWith('/metrics?') ||
    url === '/docs' ||
    url.startsWith('/docs/') ||
    url.startsWith('/docs?') ||
    url.startsWith('/docs-json') ||
    url.startsWith('/public/') ||
    // development-only sign-in (registered only where NODE_ENV is development or test; 404 elsewhere)
    url.startsWith('/dev/v1/')
  );
}

/**
 * Verifies the bearer token of every request to a non-public path before its body is read (Fastify's
 * onRequest): an anonymous or forged caller gets 401 without the server parsing, buffering or
 * validating what it sent. The principal stays on the request; the guard (and the check's own route)
 * then only check the route's roles. A callback hook: a token verified before costs no promise.
 */
export function authenticateBeforeBody(fastify: FastifyInstance, verifier: TokenVerifier): void {
  // declared up front: every request object keeps one shape (V8), with or without a principal
  if (!fastify.hasRequestDecorator('principal')) fastify.decorateRequest('principal', null);
  fastify.addHook('onRequest', (request, reply, done) => {
    if (isPublicPath(request.url)) return done();
    // no route has this path (or method): the not-found handler answers 404 `HTTP.NOT_FOUND`, with or
    // without a token — a 401 would make a typo look like a credentials problem, and a route's existence
    // is no secret (the API documents are public)
    if (request.routeOptions.url === undefined) return done();
    // the console's pages and files (decision 0028); an unknown API path under the console's catch-all is
    // answered 404 there, like any unknown path (above)
    if (isConsoleRoute(request.routeOptions.config)) return done();
    const target = request as FastifyRequest & { principal?: Principal };
    let token: string;
    try {
      token = bearerToken(request.headers.authorization);
    } catch (err) {
      return refuse(err, request, reply);
    }
    const known = verifier.known(token);
    if (known) {
      target.principal = known;
      return done();
    }
    verifier.verify(token).then(
      (principal) => {
        target.principal = principal;
        done();
      },
      (err: unknown) => refuse(unauthorized(err), request, reply),
    );
  });
}

function refuse(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  // the connection may still be sending a body nobody will read: close it after the answer
  void reply.header('connection', 'close');
  sendProblem(err, request, reply);
}
