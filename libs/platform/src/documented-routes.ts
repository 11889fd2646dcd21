import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * A route a module registers on Fastify itself (not through a controller), with its OpenAPI operation:
 * Nest's document builder sees only controllers, so the module declares these beside them and the
 * service's document (createHttpApp) and the console's client (scripts/console-api.ts) add them.
 */
export interface DocumentedRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** the OpenAPI path (`/v1/checks`) */
  path: string;
  /** an OpenAPI 3.0 operation object */
  operation: Record<string, unknown>;
}

const DOCUMENTED_ROUTES = 'credit:documented-routes';

/** On a module class: the routes it registers on Fastify directly, for its OpenAPI document. */
export function DocumentedRoutes(...routes: DocumentedRoute[]): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(DOCUMENTED_ROUTES, [...documentedRoutesOf(target), ...routes], target);
  };
}

export function documentedRoutesOf(module: unknown): DocumentedRoute[] {
  if (typeof module !== 'function') return [];
  return (Reflect.getMetadata(DOCUMENTED_ROUTES, module) as DocumentedRoute[] | undefined) ?? [];
}

/** Every documented route of the application's modules. */
export function documentedRoutesOfApp(app: INestApplicationContext): DocumentedRoute[] {
  const seen = new Set<unknown>();
  const routes: DocumentedRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    if (seen.has(module.metatype)) continue;
    seen.add(module.metatype);
    routes.push(...documentedRoutesOf(module.metatype));
  }
  return routes;
}

/** Adds the routes' operations to an OpenAPI document (in place); returns it. */
export function addDocumentedRoutes(document: OpenAPIObject, routes: DocumentedRoute[]): OpenAPIObject {
  for (const route of routes) {
    document.paths[route.path] = { ...(document.paths[route.path] ?? {}), [route.method]: route.operation };
  }
  return document;
}
