import { blockMeasure, RouteCall, seedCourtCatalog } from './catalog-seed';
import { MediumPlatform } from './medium';
import { DECISION } from './medium-registry';

/**
 * What the cross-service medium specs share: departments of one region, COURT's serious black list
 * published at once, and memorandum MOU-2016-141 with the measures a spec needs (catalog-seed.ts, as the
 * e2e tests and the benches make it); then entries on it.
 */

export { blockMeasure };

/** How a seed reaches a route in the medium tier: one process serves every service. */
export const mediumRoutes =
  (platform: MediumPlatform): RouteCall =>
  (_service, path, token, body) =>
    platform.api('POST', path, { token, body });

/** Departments (region 330100), COURT_DEFAULTER published at once and MOU-2016-141 with `measures`. */
export async function seedCourtDefaulter(
  platform: MediumPlatform,
  adminToken: string,
  departments: string[],
  measures: ReturnType<typeof blockMeasure>[],
): Promise<void> {
  await seedCourtCatalog(mediumRoutes(platform), adminToken, { departments, measures });
}

/** COURT lists, notices and publishes an entry on COURT_DEFAULTER; its id. */
export async function publishCourtEntry(
  platform: MediumPlatform,
  courtToken: string,
  subject: Record<string, unknown>,
): Promise<string> {
  const created = await platform.api<{ id: string }>('POST', '/v1/list-entries', {
    token: courtToken,
    body: { listType: 'COURT_DEFAULTER', subject, decision: DECISION },
  });
  expect(created.status).toBe(201);
  for (const step of ['notice', 'publish'])
    expect(
      (await platform.api('POST', `/v1/list-entries/${created.body.id}/${step}`, { token: courtToken }))
        .status,
    ).toBe(200);
  return created.body.id;
}
