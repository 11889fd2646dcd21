import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mintToken } from '@credit/auth';
import { Role } from '@credit/contracts';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { DEMO_SUBJECTS } from '../../apps/embedded/src/demo';
import { uscc } from '../registry/registry-fixtures';
import { EmbeddedProcess, startEmbeddedProcess } from '../support/embedded-process';
import { waitFor } from '../support/infra';
import { api } from '../support/services';
import {
  accessibilityViolations,
  animationsSettled,
  choose,
  dropdownsClosed,
  launchChromium,
  newContext,
  newPage,
  screenshot,
  signIn,
  signInThroughPage,
} from './browser';

const token = (dept: string, role: Role) =>
  mintToken({ sub: `e2e-${dept.toLowerCase()}`, dept, roles: [role] }, LOCAL_JWT_SECRET);

/**
 * The console in a real browser (Debian's Chromium, driven by playwright-core) against the embedded mode
 * as `npm start` runs it, demo loaded: the initiator signs in through the development sign-in page, the
 * other roles with the token it would give them (browser.ts signIn), and each does its work at 1366×768; what the pages show is compared with what the API answers; each page is
 * screenshotted (artifacts) and checked with axe-core.
 */
/** The little of a page's window this file reads (the tests' types have no DOM). */
interface BrowserWindow {
  getComputedStyle(element: unknown): { transitionDuration: string };
}

describe('the console against the embedded mode', () => {
  const root = mkdtempSync(join(tmpdir(), 'console-e2e-'));
  let platform: EmbeddedProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const a11y: Record<string, unknown[]> = {};

  const audit = async (name: string) => {
    a11y[name] = await accessibilityViolations(page);
  };

  beforeAll(async () => {
    // the demo loaded and its events handled (a copy of the demo template), the browser meanwhile
    [platform, browser] = await Promise.all([
      startEmbeddedProcess({ dataDir: join(root, 'data'), demo: true, waitFor: /Ctrl-C stops the platform/ }),
      launchChromium(),
    ]);
    context = await newContext(browser, platform.url);
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  beforeEach(async () => {
    page = await newPage(context);
  });
  afterEach(async () => {
    await page?.close();
  });

  it('opens on the sign-in page, which lists the demo departments and their roles', async () => {
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('部门', { exact: true }).click();
    await page.locator('.ant-select-item-option', { hasText: '杭州市中级人民法院' }).first().waitFor();
    await page.keyboard.press('Escape');
    await dropdownsClosed(page);
    await screenshot(page, 'sign-in');
    await audit('sign-in');
  });

  it('moves nothing for a person who asks for reduced motion, and animates for one who does not', async () => {
    // WCAG 2.3.3: Ant Design's transitions are 0 s under prefers-reduced-motion: reduce (every other test's
    // context asks for it, browser.ts newContext); a second context asks for nothing and sees them
    const plain = await browser.newContext({ baseURL: platform.url, reducedMotion: 'no-preference' });
    try {
      const durations: Record<string, string> = {};
      for (const [name, tab] of [
        ['reduce', page],
        ['no-preference', await plain.newPage()],
      ] as const) {
        await tab.goto('/');
        await tab.waitForURL(/\/sign-in/);
        const button = tab.getByRole('button', { name: /登\s*录/ });
        durations[name] = await button.evaluate(
          (b) => (globalThis as unknown as BrowserWindow).getComputedStyle(b).transitionDuration,
        );
      }
      expect(durations.reduce.split(',').every((d) => parseFloat(d) === 0)).toBe(true);
      expect(durations['no-preference'].split(',').some((d) => parseFloat(d) > 0)).toBe(true);
    } finally {
      await plain.close();
    }
  });

  it('initiator: imports a file with a bad row, downloads the rejected row, publishes an imported entry', async () => {
    await signInThroughPage(page, 'COURT', 'initiator');
    await page.waitForURL(/\/initiator\/entries/);
    await page.getByRole('link', { name: '批量导入' }).click();
    const good = [uscc('C0NK0L01'), uscc('C0NK0L02')];
    const csv = [
      'subjectKind,subjectId,subjectName,documentNo,decisionDate,facts',
      `legal_person,${good[0]},控制台测试一有限公司,(2026)浙0106执901号,2026-02-01,有履行能力而拒不履行`,
      'legal_person,91330106BADC0DE00X,控制台测试坏行公司,(2026)浙0106执902号,2026-02-01,有履行能力而拒不履行',
      `legal_person,${good[1]},控制台测试二有限公司,(2026)浙0106执903号,2026-02-01,有履行能力而拒不履行`,
    ].join('\r\n');
    await choose(page, '名单类型', /COURT_DEFAULTER/);
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'court.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: '开始导入' }).click();
    const downloadButton = page.getByRole('button', { name: '下载被拒绝的行' });
    await downloadButton.waitFor();
    await page.locator('[role=progressbar][aria-valuenow="100"]').waitFor();
    await expectStatistic(page, '通过', '2');
    await expectStatistic(page, '拒绝', '1');
    await page.getByText('SUBJECT.', { exact: false }).first().waitFor();
    await animationsSettled(page); // the bar's width animates
    await screenshot(page, 'initiator-import', true);
    await audit('initiator-import');
    const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
    const rejected = readFileSync(await download.path(), 'utf8');
    expect(rejected).toContain('错误原因');
    expect(rejected).toContain('91330106BADC0DE00X');
    expect(rejected).not.toContain(good[0]);

    // the list: drafts of the court, the imported ones among them
    await page.getByRole('link', { name: '名单条目' }).click();
    await choose(page, '状态', '草稿');
    const row = page.locator('tr', { hasText: '控制台测试一有限公司' });
    await row.waitFor();
    await screenshot(page, 'initiator-entries');
    await audit('initiator-entries');
    // notice (告知), then publish (公示): the court's list type has no statement period
    await row.getByRole('button', { name: /告\s*知/ }).click();
    await succeeded(page, '告知成功');
    await choose(page, '状态', '已告知');
    const noticed = page.locator('tr', { hasText: '控制台测试一有限公司' });
    await noticed.getByRole('button', { name: /公\s*示/ }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await succeeded(page, '公示成功');
    const court = await token('COURT', 'initiator');
    const entries = await api<{ items: { status: string; subject: { id: string } }[] }>(
      'GET',
      `${platform.url}/v1/list-entries?listType=COURT_DEFAULTER&limit=100`,
      { token: court },
    );
    const statuses = Object.fromEntries(entries.body.items.map((e) => [e.subject.id, e.status]));
    expect({ first: statuses[good[0]], second: statuses[good[1]] }).toEqual({
      first: 'published',
      second: 'draft',
    });
  }, 120_000);

  it('implementer: acknowledges the inbox in a batch and reports enforcement', async () => {
    const police = await token('POLICE', 'implementer');
    const before = await api<{ items: { id: string }[] }>('GET', `${platform.url}/v1/inbox?status=issued`, {
      token: police,
    });
    expect(before.body.items.length).toBeGreaterThan(0);
    await signIn(page, 'POLICE', 'implementer');
    await page.waitForURL(/\/implementer\/inbox/);
    await page.locator('tbody tr.ant-table-row').first().waitFor();
    await screenshot(page, 'implementer-inbox', true);
    await audit('implementer-inbox');
    await page.locator('thead .ant-checkbox-input').check();
    await page.getByRole('button', { name: /批量签收/ }).click();
    await page.getByText(/已签收 \d+ 项/).waitFor();
    await choose(page, '任务状态', '已签收');
    await page.locator('tbody tr.ant-table-row').first().waitFor();
    await page.locator('thead .ant-checkbox-input').check();
    await page.getByRole('button', { name: /批量反馈实施情况/ }).click();
    await page.getByLabel('实施情况说明').fill('已在出入境管理系统中设置限制出境。');
    await page.getByLabel('文号或业务编号').fill('杭公出〔2026〕12号');
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await page.getByText('反馈已提交').waitFor();
    const ids = before.body.items.map((i) => i.id);
    const enforced = await api<{ items: { id: string }[] }>(
      'GET',
      `${platform.url}/v1/inbox?status=enforced`,
      {
        token: police,
      },
    );
    expect(ids.every((id) => enforced.body.items.some((i) => i.id === id))).toBe(true);
  }, 120_000);

  it('implementer: the check tool answers block, with the measure and its legal basis', async () => {
    await signIn(page, 'FINANCE', 'implementer');
    await page.getByRole('link', { name: '核查工具' }).click();
    await page.getByLabel('主体标识').fill(DEMO_SUBJECTS.company.id);
    await page.getByRole('button', { name: /核\s*查/ }).click();
    await expect(page.getByTestId('check-decision').textContent()).resolves.toContain('block');
    await page.getByText('法律依据', { exact: false }).first().waitFor();
    await screenshot(page, 'implementer-check', true);
    await audit('implementer-check');
  }, 60_000);

  it("supervisor: the dashboard shows the API's figures for the same period", async () => {
    const supervisor = await token('CREDIT_OFFICE', 'supervisor');
    const from = beijingDay(-29);
    const to = beijingDay(0);
    const figures = async () => {
      const res = await api<{ items: { assigned: number; acknowledged: number; enforced: number }[] }>(
        'GET',
        `${platform.url}/v1/stats/departments?from=${from}&to=${to}`,
        { token: supervisor },
      );
      const sum = (k: 'assigned' | 'acknowledged' | 'enforced') =>
        res.body.items.reduce((s, i) => s + i[k], 0);
      return { assigned: sum('assigned'), acknowledged: sum('acknowledged'), enforced: sum('enforced') };
    };
    // the statistics follow the events: wait until they stop moving, then compare
    let settled = await figures();
    await waitFor(
      async () => {
        const now = await figures();
        const same = JSON.stringify(now) === JSON.stringify(settled) && now.enforced > 0;
        settled = now;
        return same;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    await signIn(page, 'CREDIT_OFFICE', 'supervisor');
    await page.waitForURL(/\/supervisor\/dashboard/);
    await page.locator('[aria-label="各部门应用率柱状图"] canvas').waitFor();
    const shown = async () => ({
      assigned: Number(await page.getByTestId('total-assigned').textContent()),
      acknowledged: Number(await page.getByTestId('total-acknowledged').textContent()),
      enforced: Number(await page.getByTestId('total-enforced').textContent()),
    });
    await waitFor(async () => JSON.stringify(await shown()) === JSON.stringify(settled), {
      timeoutMs: 10_000,
    }).catch(() => undefined);
    expect(await shown()).toEqual(await figures());
    // the overdue chart counts from the rollup: its total is the counts route's, whatever the volume
    const counts = await api<{ total: number }>('GET', `${platform.url}/v1/overdue/counts`, {
      token: supervisor,
    });
    await page.locator('[aria-label="逾期任务堆叠柱状图"] canvas').waitFor();
    expect(Number(await page.getByTestId('total-overdue').textContent())).toBe(counts.body.total);
    await page.locator('[aria-label="每日下发任务折线图"] canvas').waitFor();
    await screenshot(page, 'supervisor-dashboard', true);
    await audit('supervisor-dashboard');
  }, 120_000);

  it("supervisor: an entry's trail as a timeline, verified", async () => {
    const court = await token('COURT', 'initiator');
    const entries = await api<{ items: { id: string; status: string; subject: { id: string } }[] }>(
      'GET',
      `${platform.url}/v1/list-entries?status=published&limit=100`,
      { token: court },
    );
    const entry = entries.body.items.find((e) => e.subject.id === DEMO_SUBJECTS.company.id)!;
    await signIn(page, 'CREDIT_OFFICE', 'supervisor');
    await page.goto(`/supervisor/trail?entry=${entry.id}`);
    const verification = page.getByTestId('trail-verification');
    await verification.waitFor();
    expect(await verification.textContent()).toContain('哈希链校验通过');
    await page.locator('.ant-timeline-item').nth(2).waitFor();
    await screenshot(page, 'supervisor-trail');
    await audit('supervisor-trail');
  }, 60_000);

  it.each([
    [
      'CREDIT_OFFICE',
      'admin',
      ['/admin/departments', '/admin/list-types', '/admin/memoranda', '/admin/allow-list'],
    ],
    [
      'CREDIT_OFFICE',
      'supervisor',
      [
        '/supervisor/overdue',
        '/supervisor/reconciliation',
        '/supervisor/assessment',
        '/supervisor/exports',
        '/supervisor/access-log',
      ],
    ],
    ['COURT', 'initiator', ['/initiator/new', '/initiator/pending']],
    ['POLICE', 'implementer', ['/implementer/webhooks', '/implementer/watch-list']],
  ])(
    '%s %s: every other page opens without a problem',
    async (dept, role, paths) => {
      await signIn(page, dept as string, role as string);
      for (const path of paths as string[]) {
        await page.goto(path);
        await page.locator('.ant-card').first().waitFor();
        await page.waitForLoadState('networkidle');
        const problems = await page.locator('[role=alert]').allTextContents();
        expect({ path, problems }).toEqual({ path, problems: [] });
        await screenshot(page, path.slice(1).replace(/\//g, '-'));
      }
    },
    120_000,
  );

  it('keeps the API its answers: unknown /v1 paths are problem details, not the console', async () => {
    // an unknown path is 404 with or without a token (decision 0029)
    const anonymous = await api('GET', `${platform.url}/v1/nothing-here`);
    expect({ status: anonymous.status, code: anonymous.body.code }).toEqual({
      status: 404,
      code: 'HTTP.NOT_FOUND',
    });
    const known = await api('GET', `${platform.url}/v1/nothing-here`, {
      token: await token('COURT', 'initiator'),
    });
    expect({ status: known.status, code: known.body.code }).toEqual({ status: 404, code: 'HTTP.NOT_FOUND' });
    const deepLink = await fetch(`${platform.url}/supervisor/trail?entry=x`);
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toContain('<div id="root">');
  });

  it('has no serious or critical accessibility violations on the pages visited (axe-core, WCAG 2 AA)', () => {
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(6);
    expect(a11y).toEqual(Object.fromEntries(Object.keys(a11y).map((k) => [k, []])));
  });
});

/** The success message, or the problem the page shows instead (its text in the failure). */
async function succeeded(page: Page, message: string) {
  const outcome = page
    .locator('.ant-message-success', { hasText: message })
    .or(page.locator('[role=alert]'))
    .first();
  await outcome.waitFor();
  expect(await outcome.textContent()).toContain(message);
}

async function expectStatistic(page: Page, title: string, value: string) {
  const statistic = page.locator('.ant-statistic', {
    has: page.locator('.ant-statistic-title', { hasText: title }),
  });
  await expect(statistic.locator('.ant-statistic-content').textContent()).resolves.toBe(value);
}

function beijingDay(offset: number): string {
  return new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}
