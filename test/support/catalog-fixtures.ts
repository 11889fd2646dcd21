import { measureBody, RouteCall, seedCourtCatalog } from './catalog-seed';
import { api, TestPlatform } from './services';

export { measureBody };

/** How a seed reaches the four services of startPlatform(), each at its own address. */
export const routesOf =
  (platform: TestPlatform): RouteCall =>
  (service, path, token, body) =>
    api('POST', `${platform.url[service]}${path}`, { token, body });

/**
 * The smallest catalog a cross-service test needs: COURT, one black list type owned by it (no notice
 * period, so entries publish at once) and one memorandum MOU-TEST with the given measures.
 */
export function seedCatalog(
  platform: TestPlatform,
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
