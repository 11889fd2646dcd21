import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allowedOrForbidden, authenticateKnown, bearerToken, Principal, TokenVerifier } from '@credit/auth';
import { CheckStage, Role } from '@credit/contracts';
import {
  answerBeforeFastify,
  answeredWhileClosing,
  callerOf,
  DocumentedRoute,
  httpRequestDuration,
  QuotaBucket,
  Quotas,
  RequestValidationError,
  scanJson,
  sendProblem,
  tracingEnabled,
} from '@credit/platform';
import { checkBodyErrors, fromCheckBody, validateCheckBody } from './check-body';
import { CheckAnswerSchema, CheckBody, CheckBodySchema } from './check.schema';
import { CheckSubjectUseCase } from './check-subject.usecase';

/** Who may check (the route-access table checks the same). */
export const CHECK_ROLES: readonly Role[] = ['implementer', 'system'];

const CHECK_PATH = '/v1/checks';

/** The check's operation in the enforcement service's OpenAPI document: the same schema objects. */
export const CHECK_ROUTE_DOCUMENT: DocumentedRoute = {
  method: 'post',
  path: CHECK_PATH,
  operation: {
    operationId: 'check',
    tags: ['checks'],
    summary: 'May this subject do this?',
    description:
      '`block` beats `warn` beats `priority` beats `allow`, with every reason. Roles: ' +
      `${CHECK_ROLES.join(', ')}. Errors are problem details (application/problem+json): 400 ` +
      '`VALIDATION.FAILED` naming each field, 401 `AUTH.*`, 403 `AUTH.ROLE_FORBIDDEN`, 429 `QUOTA.EXCEEDED`.',
    security: [{ bearer: [] }],
    requestBody: { required: true, content: { 'application/json': { schema: CheckBodySchema } } },
    responses: {
      200: { description: 'the decision', content: { 'application/json': { schema: CheckAnswerSchema } } },
      400: { description: 'the body is not valid (every bad field named)' },
      401: { description: 'no token, or a token that is not valid' },
      403: { description: 'a role that may not check' },
      429: { description: 'over the quota of checks (Retry-After)' },
    },
  },
};

/**
 * `POST /v1/checks`, an explicit Fastify route: registered here and nowhere else, with its body's schema
 * (compiled by ajv, check-body.ts) and its answer's (compiled into Fastify's serializer). It does what
 * Nest's pipeline does for the other routes, in the same order: the token (verified by the onRequest
 * hook before the body was read), the roles, the quota, then the body; errors as the same problem
 * details (`sendProblem`).
 */
@Injectable()
export class CheckRoute implements OnModuleInit {
  /** Checks per token and per department, counted in memory (decision 0022) */
  private readonly quota: QuotaBucket;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: TokenVerifier,
    private readonly checkSubject: CheckSubjectUseCase,
    quotas: Quotas,
  ) {
    this.quota = quotas.bucket('checks');
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // an application context without HTTP
    fastify.route<{ Body: CheckBody }>({
      method: 'POST',
      url: CHECK_PATH,
      schema: { body: CheckBodySchema, response: { 200: CheckAnswerSchema } },
      // our compiled validator (no coercion, unknown properties refused); its errors go to the handler,
      // which answers them after the token and the roles (401/403 before 400, as the guard does)
      validatorCompiler: () => validateCheckBody,
      attachValidation: true,
      handler: (request, reply) => this.handle(request, reply),
    });
    // the same check answered on the HTTP server before Fastify when it is a plain one (decision 0069);
    // with tracing on, every request keeps its span from Fastify's hooks
    if (tracingEnabled()) return;
    const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig as {
      onProtoPoisoning?: 'error' | 'remove' | 'ignore';
      onConstructorPoisoning?: 'error' | 'remove' | 'ignore';
    };
    // the parser Fastify runs for the route (the input guard's), same options
    const parse = fastify.getDefaultJsonParser(
      onProtoPoisoning ?? 'error',
      onConstructorPoisoning ?? 'error',
    );
    const parsed = (text: string): unknown => {
      let value: unknown;
      parse(undefined as unknown as FastifyRequest, text, (err, json) => {
        if (!err) value = json;
      });
      return value;
    };
    answerBeforeFastify(fastify, 'POST', CHECK_PATH, (request, response) =>
      this.early(fastify, parsed, request, response),
    );
  }

  /**
   * A check answered before Fastify (decision 0069): taken only when its headers say it is a plain one —
   * a JSON body of a known, small length and a token verified before, of a role that may check; anything
   * else is left to the route above, unread. Once its body is read, a check the route would refuse (the
   * body not clean JSON or not valid, over the quota, a failure) is handed to the route as it came
   * (`fastify.inject`): the refusal is the route's own, problem details and all.
   */
  private early(
    fastify: FastifyInstance,
    parse: (text: string) => unknown,
    request: IncomingMessage,
    response: ServerResponse,
  ): boolean {
    const started = performance.now();
    const headers = request.headers;
    if (!plainCheckHeaders(headers)) return false;
    let principal: Principal;
    try {
      const known = this.verifier.known(bearerToken(headers.authorization));
      if (!known) return false;
      principal = allowedOrForbidden(known, CHECK_ROLES);
    } catch {
      return false;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', () => response.destroy());
    request.on('end', () => {
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const body = plainCheckBody(bytes.toString('utf8'), parse);
      if (!body) return replay(fastify, request, response, bytes);
      let answer: unknown;
      try {
        this.quota.charge(principal);
        answer = this.checkSubject.execute(principal, body.subjectId, body.action, body.stage);
      } catch {
        // nothing was logged: the route answers it as it answers every refusal
        return replay(fastify, request, response, bytes);
      }
      const send = (value: unknown) => {
        if (!written(response, () => write(value))) replay(fastify, request, response, bytes);
      };
      const write = (value: unknown) => {
        const payload = JSON.stringify(value);
        const header = headers['x-correlation-id'];
        const correlation = typeof header === 'string' && header !== '' ? header : randomUUID();
        response.writeHead(200, [
          'content-type',
          'application/json; charset=utf-8',
          'x-correlation-id',
          correlation,
          'content-length',
          String(Buffer.byteLength(payload)),
        ]);
        response.end(payload);
        requestLine(fastify.log as unknown as Logger, correlation, principal, started);
      };
      if (answer instanceof Promise)
        answer.then(send, () => replay(fastify, request, response, bytes)); // a read that failed
      else send(answer);
    });
    return true;
  }

  /**
   * At once when the token was verified before and the index holds the subject (nearly every check): no
   * promise between the request and its answer; otherwise the same steps, awaited.
   */
  private handle(
    request: FastifyRequest<{ Body: CheckBody }>,
    reply: FastifyReply,
  ): Promise<FastifyReply> | undefined {
    try {
      const verified = (request as FastifyRequest & { principal?: Principal }).principal;
      const principal = this.quota.admit(
        verified
          ? allowedOrForbidden(verified, CHECK_ROLES)
          : authenticateKnown(this.verifier, request.headers.authorization, CHECK_ROLES),
      );
      if (principal instanceof Promise) return this.handleLater(principal, request, reply);
      (request as { principal?: Principal }).principal = principal; // for the request line, as the guard does
      const { subjectId, action, stage } = this.body(request);
      const answer = this.checkSubject.execute(principal, subjectId, action, stage);
      if (answer instanceof Promise) return this.sendLater(answer, request, reply);
      reply.code(200).send(answer);
    } catch (err) {
      sendProblem(err, request, reply);
    }
    return undefined;
  }

  private async handleLater(
    authenticated: Principal | Promise<Principal>,
    request: FastifyRequest<{ Body: CheckBody }>,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    try {
      const principal = await authenticated;
      (request as { principal?: Principal }).principal = principal;
      const { subjectId, action, stage } = this.body(request);
      const answer = await this.checkSubject.execute(principal, subjectId, action, stage);
      return reply.code(200).send(answer);
    } catch (err) {
      return sendProblem(err, request, reply);
    }
  }

  private async sendLater(
    answer: Promise<unknown>,
    request: FastifyRequest<{ Body: CheckBody }>,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    try {
      return reply.code(200).send(await answer);
    } catch (err) {
      return sendProblem(err, request, reply);
    }
  }

  private body(request: FastifyRequest<{ Body: CheckBody }>) {
    const failed = request.validationError as (Error & { validation?: unknown }) | undefined;
    if (failed) {
      throw new RequestValidationError(
        checkBodyErrors((failed.validation as Parameters<typeof checkBodyErrors>[0] | undefined) ?? []),
      );
    }
    return fromCheckBody(request.body);
  }
}

/** The largest body a check answered before Fastify may have (a check's is under 200 bytes). */
const EARLY_BODY_LIMIT = 4096;

/**
 * Whether a check's headers let it be answered before Fastify: a JSON body (no other media type, no
 * other charset) of a stated length up to 4 KiB, no `Expect`. Anything else is Fastify's (decision 0069).
 */
export function plainCheckHeaders(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (type !== 'application/json' && type !== 'application/json; charset=utf-8') return false;
  if (headers.expect !== undefined || headers['transfer-encoding'] !== undefined) return false;
  const length = Number(headers['content-length']);
  return length > 0 && length <= EARLY_BODY_LIMIT;
}

/**
 * The check a body asks for, when the route would take it as it is: no control character or nesting the
 * input guard refuses, JSON that Fastify's parser takes, the body's schema met; undefined otherwise (the
 * route then answers it, with its refusal).
 */
export function plainCheckBody(
  text: string,
  parse: (text: string) => unknown,
): { subjectId: string; action: string; stage?: CheckStage } | undefined {
  const scan = scanJson(text);
  if (scan.tooDeep || scan.suspicious) return undefined;
  const value = parse(text);
  if (value === undefined || !validateCheckBody(value)) return undefined;
  return fromCheckBody(value);
}

/**
 * Runs `write`; false when it threw before anything was sent (the route then answers, as it answers any
 * failure); a connection whose answer broke off half-written is cut.
 */
function written(response: ServerResponse, write: () => void): boolean {
  try {
    write();
    return true;
  } catch {
    if (!response.headersSent) return false;
    response.destroy();
    return true;
  }
}

/** Headers of an injected answer that belong to its own (absent) connection. */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

/**
 * A check whose body was read, answered by the Fastify route as if it had come to it; once Fastify began
 * to close (inject refuses then), by Fastify as it answers every request then (503, `Connection: close`).
 */
function replay(fastify: FastifyInstance, request: IncomingMessage, response: ServerResponse, bytes: Buffer) {
  if (answeredWhileClosing(fastify, request, response)) return;
  fastify
    .inject({
      method: 'POST',
      url: request.url ?? CHECK_PATH,
      headers: request.headers,
      payload: bytes, // the bytes as they came: their length is the request's content-length
      remoteAddress: request.socket.remoteAddress,
    })
    .then(
      (answer) => {
        const headers: OutgoingHttpHeaders = {};
        for (const name in answer.headers)
          if (!HOP.has(name)) headers[name] = answer.headers[name] as OutgoingHttpHeaders[string];
        response.writeHead(answer.statusCode, headers);
        response.end(answer.rawPayload);
      },
      () => response.destroy(),
    );
}

/** What the app's onResponse hook records for a request (http-app.ts): its duration and, at info, a line. */
function requestLine(
  log: Pick<Logger, 'info' | 'isLevelEnabled'>,
  reqId: string,
  principal: Principal,
  started: number,
) {
  const ms = performance.now() - started;
  httpRequestDuration.observe('POST', CHECK_PATH, 200, ms / 1000);
  if (log.isLevelEnabled('info'))
    log.info(
      {
        reqId,
        method: 'POST',
        route: CHECK_PATH,
        status: 200,
        ms: Math.round(ms),
        ...callerOf({ principal }),
      },
      'request',
    );
}
