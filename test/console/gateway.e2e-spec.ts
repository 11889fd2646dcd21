import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildGateway } from '../../apps/gateway/src/gateway';
import { api, startPlatform, TestPlatform } from '../support/services';
import {
  accessibilityViolations,
  launchChromium,
  newContext,
  newPage,
  screenshot,
  signIn,
  signInThroughPage,
} from './browser';

/**
 * The distributed mode's one address: the gateway in front of the four services (each its own
 * application, database schema and Kafka consumers) serves the console and routes every /v1 request to
 * the service that owns it; the console works through it as through the embedded process.
 */
describe('the console through the gateway (distributed mode)', () => {
  let platform: TestPlatform;
  let gateway: FastifyInstance;
  let url = '';
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    platform = await startPlatform({ devSignIn: true });
    gateway = await buildGateway({
      upstreams: platform.url,
      consoleDir: join(__dirname, '../../apps/console/dist'),
    });
    url = await gateway.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    page = await newPage(await newContext(browser, url));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await platform?.close();
  });

  it('routes each path to its owner, and answers 404 GATEWAY.NO_ROUTE where no service serves it', async () => {
    const none = await api('GET', `${url}/v1/no-such-thing`);
    expect({ status: none.status, code: none.body.code }).toEqual({ status: 404, code: 'GATEWAY.NO_ROUTE' });
    // the services' own answers pass through unchanged
    const anonymous = await api('GET', `${url}/v1/stats/departments`);
    expect({ status: anonymous.status, code: anonymous.body.code }).toEqual({
      status: 401,
      code: 'AUTH.TOKEN_MISSING',
    });
    const supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    for (const path of ['/v1/departments', '/v1/memoranda', '/v1/overdue', '/v1/check-log/summary']) {
      const res = await api('GET', `${url}${path}`, { token: supervisor });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const page = await fetch(`${url}/supervisor/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('signs in through the gateway and shows the dashboard with the figures the tracking service gives', async () => {
    await signInThroughPage(page, 'CREDIT_OFFICE', 'supervisor');
    await page.waitForURL(/\/supervisor\/dashboard/);
    await page.locator('[aria-label="各部门应用率柱状图"] canvas').waitFor();
    const supervisor = await platform.token('CREDIT_OFFICE', ['supervisor']);
    const direct = await api<{ items: { assigned: number }[] }>(
      'GET',
      `${platform.url.tracking}/v1/stats/departments?from=${beijingDay(-29)}&to=${beijingDay(0)}`,
      { token: supervisor },
    );
    const assigned = direct.body.items.reduce((s, i) => s + i.assigned, 0);
    expect(Number(await page.getByTestId('total-assigned').textContent())).toBe(assigned);
    await screenshot(page, 'gateway-supervisor-dashboard');
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 60_000);

  it('answers a check from the enforcement service through the gateway', async () => {
    await page.getByRole('button', { name: /退\s*出/ }).click();
    await signIn(page, 'CREDIT_OFFICE', 'implementer');
    await page.getByRole('link', { name: '核查工具' }).click();
    await page.getByLabel('主体标识').fill('91330106MA2H7QK4XQ');
    await page.getByRole('button', { name: /核\s*查/ }).click();
    await expect(page.getByTestId('check-decision').textContent()).resolves.toContain('allow');
    await screenshot(page, 'gateway-implementer-check');
  }, 60_000);
});

function beijingDay(offset: number): string {
  return new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}
