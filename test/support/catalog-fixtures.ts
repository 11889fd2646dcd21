import { courtDefaulterBody, measureBody, RouteCall, seedCourtCatalog } from './catalog-seed';
import { api, TestPlatform } from './services';

export { measureBody };

/** A list type body for POST /v1/list-types: COURT's black list, published at once (no notice, no statement period). */
export const listTypeBody = (extra: Record<string, unknown> = {}) =>
  courtDefaulterBody({ legalBasis: 'b', ...extra });

/** How a seed reaches the four services of startPlatform(), each at its own address. */
export const routesOf =
  (platform: Pick<TestPlatform, 'url'>): RouteCall =>
  (service, path, token, body) =>
    api('POST', `${platform.url[service]}${path}`, { token, body });

/**
 * The smallest catalog a cross-service test needs: COURT, one black list type owned by it (no notice
 * period, so entries publish at once) and one memorandum MOU-TEST with the given measures.
 */
export function seedCatalog(
  platform: Pick<TestPlatform, 'url'>, // the services' base URLs: in-process or separate processes
  adminToken: string,
  options: { listType?: Record<string, unknown>; measures: Record<string, unknown>[] },
): Promise<{ listType: string }> {
  return seedCourtCatalog(routesOf(platform), adminToken, {
    departments: [['COURT', '法院', '330100']],
    listType: { legalBasis: 'b', ...options.listType },
    memorandum: { code: 'MOU-TEST', title: 't', documentNo: 'd' },
    measures: options.measures,
  });
}
