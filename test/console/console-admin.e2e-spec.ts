import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mintToken } from '@credit/auth';
import { Role } from '@credit/contracts';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { EmbeddedProcess, startEmbeddedProcess } from '../support/embedded-process';
import { api } from '../support/services';
import {
  accessibilityViolations,
  choose,
  launchChromium,
  newContext,
  newPage,
  screenshot,
  signIn,
} from './browser';

const token = (dept: string, role: Role) =>
  mintToken({ sub: `e2e-${dept.toLowerCase()}`, dept, roles: [role] }, LOCAL_JWT_SECRET);

const MEMO_ONLY = [{ level: 'memorandum', title: '《关于对控制台测试对象实施联合惩戒的合作备忘录》' }];

/** A memorandum of the catalogue file the admin imports (JSON, the shape of POST /v1/memoranda). */
function memorandum(code: string, measures: Record<string, unknown>[]) {
  return {
    code,
    title: `${code} 控制台测试备忘录`,
    documentNo: '控测〔2026〕1号',
    listTypes: ['COURT_DEFAULTER'],
    measures: measures.map((m) => ({
      kind: 'punishment',
      dept: 'FINANCE',
      subjectKinds: ['legal_person'],
      actions: ['government_procurement_bid'],
      feedbackWorkingDays: 5,
      legalBases: MEMO_ONLY,
      ...m,
    })),
  };
}

/**
 * The admin's and the supervisor's pages of issue 15 in a real browser against the embedded mode (demo
 * loaded): the catalogue import's report, a measure edited (a block without a law refused with the
 * service's error, then saved with a law as its next version), a list type edited, the 公示 feed, the
 * legality report; and the layout at 1366×768 and 1024×768 without horizontal overflow.
 */

// a browser against a busy 2-core machine: an animation caught mid-way fails a step now and then (CI);
// the failure is logged and the test runs again
jest.retryTimes(2, { logErrorsBeforeRetry: true });
describe('the console: catalogue administration and supervision of publication and legality', () => {
  const root = mkdtempSync(join(tmpdir(), 'console-admin-e2e-'));
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

  const upload = async (name: string, body: unknown) => {
    await page
      .locator('input[type=file]')
      .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(body)) });
  };

  it('admin: the import refuses a block resting on a memorandum only, and reports what it loaded', async () => {
    await signIn(page, 'CREDIT_OFFICE', 'admin');
    await page.goto('/admin/memoranda');
    await page.locator('.ant-card').first().waitFor();
    // a blocking punishment on a memorandum alone: nothing is loaded, the report names the measure
    await upload('refused.json', {
      memoranda: [
        memorandum('MOU-A0-REFUSED', [{ code: 'A0-CONSOLE-BLOCK', text: '限制参加政府采购', mode: 'block' }]),
      ],
    });
    const report = page.getByTestId('import-report');
    await report.waitFor();
    await expect(page.getByTestId('problem-code').first().textContent()).resolves.toBe(
      'IMPORT.ILLEGAL_MEASURES',
    );
    const refusedRow = report.locator('tr', { hasText: 'A0-CONSOLE-BLOCK' });
    await refusedRow.waitFor();
    expect(await refusedRow.textContent()).toContain('拒绝');
    expect(await refusedRow.textContent()).toContain('MEASURE.BLOCK_NEEDS_LAW');
    await screenshot(page, 'admin-import-refused');
    await audit('admin-import-refused');
    const admin = await token('CREDIT_OFFICE', 'admin');
    const absent = await api('GET', `${platform.url}/v1/memoranda/MOU-A0-REFUSED`, { token: admin });
    expect(absent.status).toBe(404);

    // warnings only: loaded, the memorandum-only measures reported
    await upload('catalogue.json', {
      memoranda: [
        memorandum('MOU-A0-CONSOLE', [
          { code: 'A0-CONSOLE-EDIT', text: '限制参加政府采购活动（控制台测试）', mode: 'warn' },
          { code: 'A0-CONSOLE-MEMO', text: '在评优评先中予以参考（控制台测试）', mode: 'reference' },
        ]),
      ],
    });
    await page.locator('.ant-message-success', { hasText: '目录已导入' }).waitFor();
    const loaded = page.getByTestId('import-report').locator('tr', { hasText: 'A0-CONSOLE-MEMO' });
    await loaded.waitFor();
    expect(await loaded.textContent()).toContain('警示');
    const created = await api('GET', `${platform.url}/v1/memoranda/MOU-A0-CONSOLE`, { token: admin });
    expect(created.status).toBe(200);
  }, 120_000);

  it("admin: a measure edited — a block without a law shows the service's refusal; with a law it is the next version", async () => {
    const admin = await token('CREDIT_OFFICE', 'admin');
    const before = await api<{ items: { version: number }[] }>(
      'GET',
      `${platform.url}/v1/measures/A0-CONSOLE-EDIT/versions`,
      { token: admin },
    );
    expect(before.status).toBe(200);
    await signIn(page, 'CREDIT_OFFICE', 'admin');
    await page.goto('/admin/memoranda');
    await page.getByRole('button', { name: '编辑措施 A0-CONSOLE-EDIT' }).click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByLabel('措施内容').waitFor();
    await choose(page, '实施方式', '禁止（拦截）');
    await drawer.getByText('保存将被拒绝', { exact: false }).waitFor();
    await drawer.getByRole('button', { name: '保存为新版本' }).click();
    await expect(drawer.getByTestId('problem-code').textContent()).resolves.toBe('MEASURE.BLOCK_NEEDS_LAW');
    await screenshot(page, 'admin-measure-block-refused', true);
    await audit('admin-measure-block-refused');
    // the law it rests on, then saved
    await drawer.getByRole('button', { name: '添加依据' }).click();
    await drawer.getByLabel('依据 2 文件名称').fill('《中华人民共和国政府采购法》');
    await drawer.getByLabel('依据 2 条款').fill('第二十二条');
    await drawer.getByLabel('依据 2 基础清单条目').fill('1.5');
    await drawer.getByLabel('措施内容').fill('限制参加政府采购活动（控制台修订）');
    await drawer.getByRole('button', { name: '保存为新版本' }).click();
    await page.locator('.ant-message-success', { hasText: '已保存为第' }).waitFor();
    const after = await api<{
      items: {
        version: number;
        current: boolean;
        mode: string;
        text: string;
        legalBases: { level: string; title: string; article?: string; basicListItem?: string }[];
      }[];
    }>('GET', `${platform.url}/v1/measures/A0-CONSOLE-EDIT/versions`, { token: admin });
    const current = after.body.items.find((v) => v.current)!;
    expect(after.body.items.length).toBe(before.body.items.length + 1);
    expect({ mode: current.mode, text: current.text, bases: current.legalBases }).toEqual({
      mode: 'block',
      text: '限制参加政府采购活动（控制台修订）',
      bases: [
        MEMO_ONLY[0],
        { level: 'law', title: '《中华人民共和国政府采购法》', article: '第二十二条', basicListItem: '1.5' },
      ],
    });
    // the versions drawer lists them
    await page.getByRole('button', { name: '措施 A0-CONSOLE-EDIT 的版本' }).click();
    await page.locator('.ant-drawer-content').last().locator('tbody tr.ant-table-row').nth(1).waitFor();
  }, 120_000);

  it("admin: a list type's terms edited in the form", async () => {
    const admin = await token('CREDIT_OFFICE', 'admin');
    await signIn(page, 'CREDIT_OFFICE', 'admin');
    await page.goto('/admin/list-types');
    await page.getByRole('button', { name: '编辑 COURT_DEFAULTER' }).click();
    const drawer = page.locator('.ant-drawer-content');
    const criteria = drawer.getByLabel('认定标准');
    await criteria.fill('有履行能力而拒不履行生效法律文书确定义务（控制台修订）');
    await drawer.getByRole('button', { name: '保存修改' }).click();
    await page
      .locator('.ant-message-success', { hasText: '名单类型已修改' })
      .or(drawer.locator('.ant-alert-error'))
      .first()
      .waitFor();
    // the drawer's standing note about existing entries is role=note; only a problem is an alert
    expect(await drawer.locator('[role=alert]').count()).toBe(0);
    const changed = await api<{ criteria: string }>('GET', `${platform.url}/v1/list-types/COURT_DEFAULTER`, {
      token: admin,
    });
    expect(changed.body.criteria).toBe('有履行能力而拒不履行生效法律文书确定义务（控制台修订）');
    await page.getByRole('button', { name: '新建名单类型' }).click();
    await page.locator('.ant-drawer-content').getByLabel('设立依据').waitFor();
    await screenshot(page, 'admin-list-type-form');
    await audit('admin-list-type-form');
  }, 120_000);

  it("supervisor: the publication feed lists a publication, with the platforms' unacknowledged withdrawals", async () => {
    const supervisor = await token('CREDIT_OFFICE', 'supervisor');
    const feed = await api<{ items: { kind: string; data: { subject: { name: string } } }[] }>(
      'GET',
      `${platform.url}/v1/publication-feed/changes?kind=published`,
      { token: supervisor },
    );
    expect(feed.body.items.length).toBeGreaterThan(0);
    await signIn(page, 'CREDIT_OFFICE', 'supervisor');
    await page.getByRole('link', { name: '公示动态' }).click();
    const row = page
      .locator('tbody tr.ant-table-row', { hasText: feed.body.items[0].data.subject.name })
      .first();
    await row.waitFor();
    expect(await row.textContent()).toContain('公示');
    await page.getByText(/外部平台已确认全部终止公示|条终止公示超过/).waitFor();
    await screenshot(page, 'supervisor-publication', true);
    await audit('supervisor-publication');
  }, 60_000);

  it('supervisor: the legality report flags a measure resting on a memorandum only', async () => {
    await signIn(page, 'CREDIT_OFFICE', 'supervisor');
    await page.goto('/supervisor/legality');
    const row = page.locator('tbody tr.ant-table-row', { hasText: 'A0-CONSOLE-MEMO' });
    await row.waitFor();
    await row.locator('[data-finding="MEASURE.MEMORANDUM_ONLY"]').waitFor();
    expect(await row.textContent()).toContain('仅有合作备忘录依据');
    // the edited measure now rests on a law
    const edited = page.locator('tbody tr.ant-table-row', { hasText: 'A0-CONSOLE-EDIT' });
    expect(await edited.locator('[data-finding]').count()).toBe(0);
    expect(Number(await page.getByTestId('memorandum-only-count').textContent())).toBeGreaterThan(0);
    await screenshot(page, 'supervisor-legality', true);
    await audit('supervisor-legality');
  }, 60_000);

  it.each([
    [1366, 768],
    [1024, 768],
  ])(
    'lays out the supervisor dashboard and the admin pages at %i×%i without horizontal overflow',
    async (width, height) => {
      await page.setViewportSize({ width, height });
      const overflow = async () =>
        page.evaluate<{ scrollWidth: number; innerWidth: number }>(
          '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
        );
      const seen: Record<string, { scrollWidth: number; innerWidth: number }> = {};
      const top = () => page.evaluate('window.scrollTo(0, 0)');
      await signIn(page, 'CREDIT_OFFICE', 'supervisor');
      await page.waitForURL(/\/supervisor\/dashboard/);
      await page.locator('[aria-label="各部门应用率柱状图"] canvas').waitFor();
      await page.waitForLoadState('networkidle');
      seen['/supervisor/dashboard'] = await overflow();
      await top();
      await screenshot(page, `tablet-${width}-supervisor-dashboard`);
      if (width === 1024) await audit('tablet-1024-supervisor-dashboard');
      await page.getByTestId('who').waitFor();
      await page.getByRole('button', { name: /退\s*出/ }).click();
      await signIn(page, 'CREDIT_OFFICE', 'admin');
      for (const path of [
        '/admin/departments',
        '/admin/list-types',
        '/admin/memoranda',
        '/admin/allow-list',
      ]) {
        await page.goto(path);
        await page.locator('.ant-card').first().waitFor();
        // the table's first page: rows, or the empty placeholder (the demo's allow-list has none) once
        // its loading spinner is gone — waiting for rows alone spent 30 s on an empty list
        await page.locator('tbody tr.ant-table-row, tbody tr.ant-table-placeholder').first().waitFor();
        await page.locator('.ant-table-wrapper .ant-spin-spinning').first().waitFor({ state: 'detached' });
        await page.waitForLoadState('networkidle');
        seen[path] = await overflow();
        await top();
        await screenshot(page, `tablet-${width}-${path.slice(1).replace(/\//g, '-')}`);
        if (width === 1024) await audit(`tablet-1024-${path.slice(1).replace(/\//g, '-')}`);
      }
      const overflowing = Object.entries(seen).filter(([, s]) => s.scrollWidth > s.innerWidth);
      expect(overflowing).toEqual([]);
    },
    180_000,
  );

  it('admin lists page with the cursor: 加载更多 brings the next page', async () => {
    await signIn(page, 'CREDIT_OFFICE', 'admin');
    await page.goto('/admin/departments');
    const more = page.getByTestId('departments-more');
    await more.getByText('已显示 20 条').waitFor();
    await more.getByRole('button', { name: '加载更多' }).click();
    await more.getByText(/已显示 2[1-9] 条/).waitFor();
  }, 60_000);

  it('has no serious or critical accessibility violations on the pages visited (axe-core, WCAG 2 AA)', () => {
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(8);
    expect(a11y).toEqual(Object.fromEntries(Object.keys(a11y).map((k) => [k, []])));
  });
});
