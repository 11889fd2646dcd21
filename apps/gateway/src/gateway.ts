import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import proxy from '@fastify/http-proxy';
import Fastify, { LogController, FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { registerConsole, registerEventDocs } from '@credit/platform';
import { CheckForwarder, CheckForwarding, CheckRouter, registerCheckRouting } from './check-routing';
import { GatewayErrors } from './gateway.errors';
import { discoverRouteTable, RouteTable, ServiceName } from './route-table';

export interface GatewayOptions {
  /** base URL of each service (http://127.0.0.1:3001 …) */
  upstreams: Record<ServiceName, string>;
  /** the console's built files; none: the gateway routes the API only */
  consoleDir?: string;
  logger?: Logger;
  /** a fixed table; otherwise read from the services' /docs-json (the generated table where one is down) */
  table?: RouteTable;
  /**
   * The enforcement replicas of a split check index (decision 0058): `POST /v1/checks` goes to the one
   * holding its subject's partition; absent, checks go to `upstreams.enforcement` like every other route.
   */
  enforcementReplicas?: readonly string[];
  /** how often the replicas' partitions are read again (default 1 s) */
  checkRoutingRefreshMs?: number;
  /** the connections kept to each replica for checks (decision 0065) */
  checkForwarding?: CheckForwarding;
}

const BODY_LIMIT = 10 * 1024 * 1024;

/** How often a path no service owns may make the gateway read the services' documents again. */
const REDISCOVER_MS = 10_000;

const UPSTREAM = Symbol('upstream');
type Routed = FastifyRequest & { [UPSTREAM]?: string };

/**
 * The distributed mode's one address (API.md "One address in both modes", decision 0028): every /v1/… and
 * /public/v1/… request goes to the service that owns its path, unchanged (headers, body, status, stream);
 * a path no service owns answers 404 GATEWAY.NO_ROUTE; everything else is the console.
 */
export async function buildGateway(options: GatewayOptions): Promise<FastifyInstance> {
  let table = options.table ?? (await discoverRouteTable(options.upstreams)).table;
  let discoveredAt = Date.now();
  // a service that was down at start, or redeployed with a new route: read the documents again, at most
  // every REDISCOVER_MS, when a path has no owner
  const ownerOf = async (method: string, url: string) => {
    const owner = table.ownerOf(method, url);
    if (owner || options.table || Date.now() - discoveredAt < REDISCOVER_MS) return owner;
    discoveredAt = Date.now();
    table = (await discoverRouteTable(options.upstreams)).table;
    return table.ownerOf(method, url);
  };
  // checks routed by partition are answered on the server itself, before Fastify (decision 0065)
  const forwarder = options.enforcementReplicas?.length
    ? new CheckForwarder(
        new CheckRouter({ replicas: options.enforcementReplicas, refreshMs: options.checkRoutingRefreshMs }),
        BODY_LIMIT,
        options.checkForwarding,
      )
    : undefined;
  const app = Fastify({
    serverFactory: (handler) =>
      createServer((request, response) =>
        forwarder && CheckForwarder.isCheck(request)
          ? forwarder.handle(request, response)
          : handler(request, response),
      ),
    loggerInstance: options.logger as FastifyBaseLogger | undefined,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT,
    requestIdHeader: 'x-correlation-id',
  });
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const down: string[] = [];
    await Promise.all(
      Object.entries(options.upstreams).map(async ([name, url]) => {
        const ok = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2000) }).then(
          (r) => r.ok,
          () => false,
        );
        if (!ok) down.push(name);
      }),
    );
    return reply.status(down.length ? 503 : 200).send({ status: down.length ? 'down' : 'ok', down });
  });
  // the topics' contract, as every service serves it (no service owns /docs/events)
  registerEventDocs(app);
  if (forwarder) {
    await forwarder.start();
    // an exact route: it wins over the /v1 proxy's wildcard (injected requests, a path with a query)
    await registerCheckRouting(app, forwarder);
  }
  for (const prefix of ['/v1', '/public/v1', '/dev/v1']) {
    await app.register(proxy, {
      upstream: '',
      prefix,
      rewritePrefix: prefix,
      // bodies pass through as they came (JSON, CSV, XLSX, multipart)
      preHandler: async (request, reply) => {
        const service = await ownerOf(request.method, request.url);
        if (!service) {
          void reply
            .status(404)
            .header('content-type', 'application/problem+json')
            .send({
              type: 'about:blank',
              title: 'Not Found',
              status: 404,
              detail: `no service serves ${request.method} ${request.url.split('?', 1)[0]}`,
              code: GatewayErrors.NO_ROUTE.code,
              instance: request.url,
              correlationId: String(request.id),
            });
          return reply;
        }
        (request as Routed)[UPSTREAM] = options.upstreams[service];
      },
      replyOptions: {
        getUpstream: (request) => (request as Routed)[UPSTREAM] ?? '',
        onError: (reply, { error }) => {
          void reply
            .status(502)
            .header('content-type', 'application/problem+json')
            .send({
              type: 'about:blank',
              title: 'Bad Gateway',
              status: 502,
              detail: `the owning service did not answer: ${error.message}`,
              code: GatewayErrors.UPSTREAM_UNAVAILABLE.code,
            });
        },
      },
    });
  }
  if (options.consoleDir) await registerConsole(app, options.consoleDir);
  else
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).header('content-type', 'application/problem+json').send({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        code: GatewayErrors.NO_ROUTE.code,
        detail: request.url,
      }),
    );
  return app;
}
