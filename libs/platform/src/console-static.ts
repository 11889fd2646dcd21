import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, relative, resolve, sep } from 'node:path';
import { NotFoundException } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendProblem } from './problem-details';

/**
 * Paths that belong to the API and its operators, never to the console: an unknown one answers the API's
 * problem details (401 without a token, 404 with one), never the console's index.html.
 */
export function isApiPath(url: string): boolean {
  const path = url.split('?', 1)[0];
  return /^\/(v1|public|docs|docs-json|health|metrics|dev)(\/|$)/.test(path) || path.startsWith('/docs-json');
}

/** Marks the console's own routes: the token hook lets them through (the page signs in by itself). */
export const CONSOLE_ROUTE = { console: true } as const;

export function isConsoleRoute(config: unknown): boolean {
  return (config as { console?: unknown } | undefined)?.console === true;
}

/**
 * The console's built files where they are (dist/console beside the compiled apps, or apps/console/dist
 * from the sources); undefined when the console was not built.
 */
export function findConsoleDir(from: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.CONSOLE_DIR
    ? [env.CONSOLE_DIR]
    : [
        join(from, '../../../../apps/console/dist'), // dist/apps/<app>/src → apps/console/dist
        join(from, '../../../apps/console/dist'), // apps/<app>/src → apps/console/dist
        join(process.cwd(), 'apps/console/dist'),
      ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/**
 * Serves the console (a single-page application) at `/`: its files, hashed assets cached for a year,
 * and index.html for any other path that is not the API's (the client-side router's pages). Paths of the
 * API keep their own answers (decision 0028).
 */
export async function registerConsole(fastify: FastifyInstance, dir: string): Promise<void> {
  const root = resolve(dir);
  const index = readFileSync(join(root, 'index.html'));
  await fastify.register(fastifyStatic, { root, serve: false, decorateReply: true });
  const page = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
  fastify.get('/', { config: CONSOLE_ROUTE }, (_request, reply) => page(reply));
  fastify.get('/*', { config: CONSOLE_ROUTE }, (request, reply) => {
    const path = decodeURIComponent(request.url.split('?', 1)[0]);
    if (isApiPath(path)) {
      return sendProblem(new NotFoundException(`no route GET ${path}`), request, reply);
    }
    const file = join(root, normalize(path));
    if (file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
      const immutable = path.startsWith('/assets/');
      return reply
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .sendFile(relative(root, file), root, { cacheControl: false });
    }
    // a file the build does not have is missing, not a page of the application
    if (path.startsWith('/assets/')) {
      return sendProblem(new NotFoundException(`no file ${path}`), request, reply);
    }
    return page(reply);
  });
}
