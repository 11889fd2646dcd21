import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { allowedOrForbidden, authenticateKnown, Principal, TokenVerifier } from '@credit/auth';
import { Role } from '@credit/contracts';
import { QuotaBucket, Quotas, sendProblem } from '@credit/platform';
import { parseCheckBody } from './check-body';
import { CheckUseCase } from './check.usecase';

/** Who may check: `ChecksController.check` declares the same with `@Roles(...CHECK_ROLES)`. */
export const CHECK_ROLES: readonly Role[] = ['implementer', 'system'];

/** The check's answer, for Fastify's compiled serializer (every property the use case returns). */
const ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    checkId: { type: 'string' },
    subject: { type: 'object', properties: { id: { type: 'string' } } },
    action: { type: 'string' },
    stage: { type: 'string' },
    decision: { type: 'string' },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          entryId: { type: 'string' },
          listType: { type: 'string' },
          measureCode: { type: 'string' },
          dept: { type: 'string' },
          legalBasis: { type: 'string' },
          until: { type: 'string' },
          mode: { type: 'string' },
          measure: { type: 'string' },
          as: { type: 'string' },
        },
      },
    },
    checkedAt: { type: 'string' },
  },
} as const;

/**
 * `POST /v1/checks` served by Fastify directly: the hottest route skips Nest's per-request pipeline
 * (execution context, guard, pipes, interceptors, exception filter) and does the same things itself —
 * the same token check and roles (`authenticate`), the same body rules (`parseCheckBody`), the same
 * problem details (`sendProblem`), the same use case and check log — with a compiled serializer for the
 * answer. `ChecksController.check` still declares the route (OpenAPI, route table); this swaps the
 * handler Fastify runs for it when Nest registers it.
 */
@Injectable()
export class CheckRoute {
  /** Checks per token and per department, counted in memory (decision 0022) */
  private readonly quota: QuotaBucket;

  constructor(
    adapterHost: HttpAdapterHost,
    private readonly verifier: TokenVerifier,
    private readonly checks: CheckUseCase,
    quotas: Quotas,
  ) {
    this.quota = quotas.bucket('checks');
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onRoute', (route: RouteOptions) => {
      if (route.method !== 'POST' || route.url !== '/v1/checks') return;
      route.handler = (request, reply) => this.handle(request, reply);
      route.schema = { ...route.schema, response: { 200: ANSWER_SCHEMA } };
    });
  }

  /**
   * At once when the token was verified before and the index holds the subject (nearly every check): no
   * promise between the request and its answer; otherwise the same steps, awaited.
   */
  private handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> | undefined {
    try {
      // verified by the onRequest hook before the body was read; authenticated here when it did not run
      const verified = (request as FastifyRequest & { principal?: Principal }).principal;
      const principal = this.quota.admit(
        verified
          ? allowedOrForbidden(verified, CHECK_ROLES)
          : authenticateKnown(this.verifier, request.headers.authorization, CHECK_ROLES),
      );
      if (principal instanceof Promise) return this.handleLater(principal, request, reply);
      (request as { principal?: Principal }).principal = principal; // for the request line, as the guard does
      const body = parseCheckBody(request.body);
      const answer = this.checks.checkKnown(principal, body.subjectId, body.action, body.stage);
      if (!answer) return this.handleLater(principal, request, reply, body);
      reply.code(200).send(answer);
    } catch (err) {
      sendProblem(err, request, reply);
    }
    return undefined;
  }

  private async handleLater(
    authenticated: Principal | Promise<Principal>,
    request: FastifyRequest,
    reply: FastifyReply,
    parsed?: ReturnType<typeof parseCheckBody>,
  ): Promise<FastifyReply> {
    try {
      const principal = await authenticated;
      (request as { principal?: Principal }).principal = principal;
      // the body is read after the token, as in the guard's order (401 before 400)
      const { subjectId, action, stage } = parsed ?? parseCheckBody(request.body);
      const answer = await this.checks.check(principal, subjectId, action, stage);
      return reply.code(200).send(answer);
    } catch (err) {
      return sendProblem(err, request, reply);
    }
  }
}
