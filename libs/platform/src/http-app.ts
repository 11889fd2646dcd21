import { randomUUID } from 'node:crypto';
import { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FastifyServerOptions, LogController } from 'fastify';
import type { Logger as Pino } from 'pino';
import { TokenVerifier } from '@credit/auth';
import { callerOf, PinoNestLogger } from './logger';
import { lazyRequestLoggerFactory } from './request-logger';
import { httpRequestDuration } from './metrics';
import { registerInputGuard } from './input-guard';
import { createValidationPipe } from './problem-details';
import { authenticateBeforeBody } from './authenticate-hook';
import { addDocumentedRoutes, documentedRoutesOfApp } from './documented-routes';
import { registerEventDocs } from './event-docs';
import { flushTracing, registerHttpTracing, tracingEnabled } from './tracing';
import { earlyServerFactory } from './early-routes';

export interface HttpAppOptions {
  title: string;
  description?: string;
  logger: Pino;
  /** Close on SIGTERM/SIGINT (default); off when the caller closes more than the app (the embedded mode). */
  shutdownHooks?: boolean;
  /** Fastify's `trustProxy` (TRUST_PROXY, parseTrustProxy): whose X-Forwarded-For gives `request.ip`. */
  trustProxy?: boolean | number | string[];
  /** The part of the platform this app serves (a service's name, `embedded`): the spans' `credit.service`. */
  service?: string;
}

/** How long requests still running when the app closes may take before their connections are cut. */
const CLOSE_GRACE_MS = 2_000;

/**
 * Builds the Fastify-based Nest application every service (and the embedded platform) runs:
 * correlation ids, request logs, metrics, validation, OpenAPI at /docs and /docs-json, AsyncAPI at
 * /docs/events.
 */
export async function createHttpApp(
  rootModule: Type<unknown> | ReturnType<typeof Object>,
  options: HttpAppOptions,
) {
  const adapter = new FastifyAdapter({
    loggerInstance: options.logger.child({ component: 'http' }),
    // our onResponse hook writes one line per request instead of fastify's two
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-correlation-id',
    genReqId: () => randomUUID(),
    // request.log becomes a pino child only when a line is written (most requests write none)
    childLoggerFactory: lazyRequestLoggerFactory as unknown as FastifyServerOptions['childLoggerFactory'],
    bodyLimit: 10 * 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // the server Fastify would make, with routes that may answer before it (the check, decision 0069)
    serverFactory: earlyServerFactory as unknown as FastifyServerOptions['serverFactory'],
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as Type<unknown>, adapter, {
    logger: new PinoNestLogger(options.logger),
    bufferLogs: false,
    // a module that fails to start throws to the caller (the service's main logs it and exits 1; a test
    // cleans up) instead of Nest calling process.exit, which killed a test worker in CI
    abortOnError: false,
    // Fastify's own JSON parser (the same function, same limit and errors; the input guard scans before it)
    // instead of Nest's wrapper around it, which made a new parser and collected the body as a buffer
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // a span per request only when tracing was set up before the app (decision 0049): off, no hook at all
  if (tracingEnabled()) {
    registerHttpTracing(fastify, options.service ?? options.title);
    fastify.addHook('onClose', (_instance, done) => {
      flushTracing().then(
        () => done(),
        () => done(),
      );
    });
  }
  // callback hooks, not async ones: no promise and no microtask turn per request for each
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-correlation-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    httpRequestDuration.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (!route.startsWith('/health') && route !== '/metrics') {
      request.log.info(
        {
          method: request.method,
          route,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
          ...callerOf(request),
        },
        'request',
      );
    }
    done();
  });
  // Closing waits for open connections, and Node's idle sweep skips a connection that has not sent a
  // request yet (a probe, a pre-opened keep-alive socket): a stop then hung until the headers timeout.
  // Requests still running get a short grace, then every connection is cut.
  fastify.addHook('preClose', (done) => {
    fastify.server.closeIdleConnections();
    setTimeout(() => fastify.server.closeAllConnections(), CLOSE_GRACE_MS).unref();
    done();
  });
  // control characters and deep JSON refused before any handler (decision 0018)
  registerInputGuard(fastify);
  authenticateBeforeBody(fastify, app.get(TokenVerifier));
  app.useGlobalPipes(createValidationPipe());
  if (options.shutdownHooks !== false) app.enableShutdownHooks();

  // built on the first request for /docs or /docs-json, not at start: scanning every controller's metadata
  // is work a restarted service did before answering ready (decisions 0044, 0050)
  const document = () =>
    addDocumentedRoutes(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle(options.title)
          .setDescription(options.description ?? '')
          .setVersion('1')
          .addBearerAuth()
          .build(),
      ),
      documentedRoutesOfApp(app),
    );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
  registerEventDocs(fastify);
  return app;
}

export async function listen(app: NestFastifyApplication, port: number, host = '0.0.0.0') {
  await app.listen(port, host);
  return app;
}

export type AppContext = INestApplicationContext;
