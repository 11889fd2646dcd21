import owners from './route-owners.json';

export type ServiceName = 'registry' | 'trigger' | 'enforcement' | 'tracking';

export interface RouteOwner {
  method: string;
  path: string;
  service: string;
}

interface Compiled {
  method: string;
  pattern: RegExp;
  service: ServiceName;
  /** fewer parameters first: /v1/list-entries/imports before /v1/list-entries/{id} */
  params: number;
}

/**
 * Which service owns a path, from the table `npm run console:api` generates from the services' OpenAPI
 * documents (route-owners.json). A path whose template matches under another method still goes to its
 * owner (which answers 404/405 itself); a path no service serves has no owner.
 */
export class RouteTable {
  private readonly routes: Compiled[];

  constructor(rows: readonly RouteOwner[] = owners) {
    this.routes = rows
      .map((row) => {
        const segments = row.path.split('/').map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : escape(s)));
        return {
          method: row.method.toUpperCase(),
          pattern: new RegExp(`^${segments.join('/')}/?$`),
          service: row.service as ServiceName,
          params: (row.path.match(/\{/g) ?? []).length,
        };
      })
      .sort((a, b) => a.params - b.params);
  }

  ownerOf(method: string, url: string): ServiceName | undefined {
    const path = url.split('?', 1)[0];
    if (path.startsWith('/dev/v1/')) return 'registry'; // the development sign-in (decision 0028)
    const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
    const matching = this.routes.filter((r) => r.pattern.test(path));
    return (matching.find((r) => r.method === m) ?? matching[0])?.service;
  }

  get size(): number {
    return this.routes.length;
  }
}

type OpenApiDocument = { paths?: Record<string, Record<string, unknown>> };

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** The /v1 and /public/v1 operations a service's OpenAPI document (its /docs-json) lists. */
export function ownersFromDocument(service: ServiceName, doc: OpenApiDocument): RouteOwner[] {
  return Object.entries(doc.paths ?? {})
    .filter(([path]) => /^\/(public\/)?v1\//.test(path))
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => HTTP_METHODS.has(m))
        .map((method) => ({ method: method.toUpperCase(), path, service })),
    );
}

/**
 * The table from the running services' own documents, so a route added since `npm run console:api` is
 * routed too; a service that does not answer keeps its rows of the generated table.
 */
export async function discoverRouteTable(
  upstreams: Record<ServiceName, string>,
  fallback: readonly RouteOwner[] = owners,
  timeoutMs = 3000,
): Promise<{ table: RouteTable; discovered: ServiceName[] }> {
  const rows: RouteOwner[] = [];
  const discovered: ServiceName[] = [];
  await Promise.all(
    (Object.entries(upstreams) as [ServiceName, string][]).map(async ([service, url]) => {
      try {
        const response = await fetch(`${url}/docs-json`, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        rows.push(...ownersFromDocument(service, (await response.json()) as OpenApiDocument));
        discovered.push(service);
      } catch {
        rows.push(...fallback.filter((r) => r.service === service));
      }
    }),
  );
  return { table: new RouteTable(rows), discovered };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
