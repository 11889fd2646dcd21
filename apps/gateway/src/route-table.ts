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

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
