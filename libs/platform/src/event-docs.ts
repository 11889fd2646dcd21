import type { FastifyInstance } from 'fastify';
import { asyncApiDocument } from '@credit/contracts';

/** Where every service (and the gateway) serves the AsyncAPI document of the topics; public like /docs. */
export const EVENT_DOCS_PATH = '/docs/events';

/**
 * `GET /docs/events`: the AsyncAPI 3 document of every topic and event type (the one committed as
 * docs/events/asyncapi.json, built from the same contracts). Each service serves the whole document
 * rather than its own topics: a department's system reads one contract whichever address it asks.
 */
export function registerEventDocs(fastify: FastifyInstance): void {
  let body: string | undefined;
  fastify.get(EVENT_DOCS_PATH, (_request, reply) => {
    body ??= JSON.stringify(asyncApiDocument());
    void reply.header('content-type', 'application/json; charset=utf-8').send(body);
  });
}
