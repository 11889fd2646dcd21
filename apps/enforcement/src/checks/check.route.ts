import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allowedOrForbidden, authenticateKnown, Principal, TokenVerifier } from '@credit/auth';
import { Role } from '@credit/contracts';
import { DocumentedRoute, QuotaBucket, Quotas, RequestValidationError, sendProblem } from '@credit/platform';
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
