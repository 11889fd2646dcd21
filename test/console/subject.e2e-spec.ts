import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mintToken } from '@credit/auth';
import { Role } from '@credit/contracts';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { DEMO_SUBJECTS } from '../../apps/embedded/src/demo';
import { EmbeddedProcess, startEmbeddedProcess } from '../support/embedded-process';
import { waitFor } from '../support/infra';
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

/** Whether the page scrolls sideways (its layout is wider than the viewport). */
const overflows = async (page: Page): Promise<boolean> =>
  (await page.evaluate(
    'document.documentElement.scrollWidth > document.documentElement.clientWidth',
  )) as boolean;

/** Signs in through the development sign-in page as a listed subject (or its related person). */
async function signInAsSubject(page: Page, option: string | RegExp, search: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL(/\/sign-in/);
  await choose(page, '信用主体', option, search);
  await page.getByRole('button', { name: '以信用主体身份进入' }).click();
  await page.getByTestId('who').waitFor();
}

/**
 * The subject's side of the console (issue 15) against the embedded mode, demo loaded: the legal
 * representative sees the exit ban on its record, the company files a statement that the tax office
 * answers in the console, a repair too early shows the earliest date, the counter acts for the company,
 * and anyone finds the demo's entries on the public page, masked as the public API masks them. Each page
 * is screenshotted and checked with axe-core; the subject's and the public page at tablet sizes too.
 */
describe('the console for the subject, the public and due process (embedded mode)', () => {
  const root = mkdtempSync(join(tmpdir(), 'console-subject-e2e-'));
  let platform: EmbeddedProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const a11y: Record<string, unknown[]> = {};
  let noticedEntry: string;

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
    // a tax violation of the demo company, in its statement period (five working days)
    const tax = await token('TAX', 'initiator');
    const created = await api<{ id: string }>('POST', `${platform.url}/v1/list-entries`, {
      token: tax,
      body: {
        listType: 'TAX_MAJOR_VIOLATION',
        subject: DEMO_SUBJECTS.company,
        decision: { documentNo: '杭税稽罚〔2026〕88号', date: '2026-02-02', facts: '未按规定申报纳税' },
      },
    });
    expect(created.status).toBe(201);
    noticedEntry = created.body.id;
    const noticed = await api('POST', `${platform.url}/v1/list-entries/${noticedEntry}/notice`, {
      token: tax,
      body: { channel: 'online' },
    });
    expect(noticed.status).toBe(200);
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

  it('the legal representative signs in as a subject and sees the exit ban on its record', async () => {
    await signInAsSubject(page, /王某/, '王某');
    await page.waitForURL(/\/subject\/record/);
    // the assignments reach the record through the events: reload until the exit ban is there
    await waitFor(
      async () => {
        const text = (await page.getByTestId('measures').textContent()) ?? '';
        if (text.includes('限制出境')) return true;
        await page.reload();
        await page.getByTestId('measures').waitFor();
        return false;
      },
      { timeoutMs: 60_000, intervalMs: 1000, message: 'the exit ban on the record' },
    );
    const measures = page.getByTestId('measures');
    expect(await measures.textContent()).toContain('POLICE');
    await expect(page.locator('tr', { hasText: '(2026)浙0106执101号' }).textContent()).resolves.toContain(
      '法定代表人',
    );
    await screenshot(page, 'subject-record');
    await audit('subject-record');
    for (const viewport of [
      { width: 1024, height: 768 },
      { width: 768, height: 1024 },
    ]) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(300);
      await screenshot(page, `subject-record-${viewport.width}x${viewport.height}`);
      expect({ viewport, overflows: await overflows(page) }).toEqual({ viewport, overflows: false });
    }
  }, 120_000);

  it('the company files a statement and gets its receipt; the tax office answers it in the console', async () => {
    await signInAsSubject(page, /杭州示范建设工程有限公司（/, '杭州示范建设');
    await page.waitForURL(/\/subject\/record/);
    const steps = page.getByTestId('next-steps');
    await steps.getByText('杭税稽罚〔2026〕88号', { exact: false }).waitFor();
    await screenshot(page, 'subject-next-steps');
    await steps
      .locator('li', { hasText: '杭税稽罚〔2026〕88号' })
      .getByRole('button', { name: /去陈述申辩/ })
      .click();
    await page.waitForURL(/\/subject\/statements\?entry=/);
    await page.getByLabel('陈述申辩内容').fill('该笔税款已于稽查前补缴，附完税凭证，请求不予列入。');
    await page.getByRole('button', { name: '提交陈述申辩' }).click();
    const receipt = page.getByTestId('statement-receipt');
    await receipt.waitFor();
    const receiptText = (await receipt.textContent()) ?? '';
    expect(receiptText).toMatch(/回执编号 ST-\d{8}-[0-9A-Z]{8}/);
    const receiptNo = /ST-\d{8}-[0-9A-Z]{8}/.exec(receiptText)![0];
    await screenshot(page, 'subject-statements');
    await audit('subject-statements');

    // the tax office's initiator answers it: not accepted, with the reason
    const answerer = await newPage(context);
    try {
      await signIn(answerer, 'TAX', 'initiator');
      await answerer.goto('/initiator/pending');
      const row = answerer.locator('[data-testid=statements-table] tr', {
        hasText: '杭州示范建设工程有限公司',
      });
      await row.first().waitFor();
      await answerer.waitForTimeout(300);
      await screenshot(answerer, 'initiator-due-process');
      a11y['initiator-due-process'] = await accessibilityViolations(answerer);
      await row
        .first()
        .getByRole('button', { name: /答\s*复/ })
        .click();
      const reason = '完税凭证所载税款属另一纳税期间，不予采纳。';
      await answerer.getByLabel('不予采纳的理由').fill(reason);
      await answerer.getByRole('button', { name: '提交答复' }).click();
      // the answer's request, as the console sends it once 确定 is clicked: a failure is told apart from a
      // list that did not refresh
      const answered = answerer.waitForResponse(
        (r) => /\/v1\/statements\/[^/]+\/answer$/.test(r.url()) && r.request().method() === 'POST',
        { timeout: 60_000 },
      );
      await answerer
        .locator('.ant-modal-confirm')
        .getByRole('button', { name: /确\s*定/ })
        .click();
      expect((await answered).status()).toBe(200);
      // answered, it leaves the list of statements received (the success toast lasts 3 s: a loaded
      // machine's polling can miss it)
      await answerer
        .locator('[data-testid=statements-table] tr', { hasText: receiptNo })
        .waitFor({ state: 'detached', timeout: 60_000 });
      // on a tablet held sideways the page fits its width (the table scrolls inside its card)
      await answerer.setViewportSize({ width: 1024, height: 768 });
      await answerer.waitForTimeout(300);
      await screenshot(answerer, 'initiator-due-process-1024x768');
      expect(await overflows(answerer)).toBe(false);
    } finally {
      await answerer.close();
    }
    const statements = await api<{ items: { status: string; reply: string }[] }>(
      'GET',
      `${platform.url}/v1/list-entries/${noticedEntry}/statements`,
      { token: await token('TAX', 'initiator') },
    );
    expect(statements.body.items.map((s) => s.status)).toEqual(['not_accepted']);

    // the company sees the answer
    await page.reload();
    await page.getByTestId('statement-reply').first().waitFor();
    expect(await page.getByTestId('statement-reply').first().textContent()).toContain('不予采纳');
  }, 120_000);

  it('a repair applied for too early shows the earliest day from the problem details', async () => {
    await signInAsSubject(page, /杭州示范建设工程有限公司（/, '杭州示范建设');
    await page.goto('/subject/repairs');
    await choose(page, '名单条目', '(2026)浙0106执101号');
    await page.getByLabel('申请说明').fill('已全部履行判决确定的给付义务。');
    await page.getByLabel('信用承诺书').fill('本单位承诺今后依法诚信经营；如有违反，自愿接受惩戒。');
    const boxes = page.locator('.ant-checkbox-input');
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
    const evidence = page.getByLabel(/^证明材料：/);
    for (let i = 0; i < (await evidence.count()); i++)
      await evidence.nth(i).fill('(2026)浙0106执101号之一 结案通知书');
    await page.getByRole('button', { name: '提交修复申请' }).click();
    const early = page.getByTestId('repair-too-early');
    await early.waitFor();
    expect(await early.textContent()).toMatch(/最早可于 \d{4}-\d{2}-\d{2} 申请信用修复/);
    expect(await page.getByTestId('problem-code').textContent()).toBe('REPAIR.TOO_EARLY');
    await screenshot(page, 'subject-repairs');
    await audit('subject-repairs');
    for (const path of ['/subject/objections', '/subject/documents', '/subject/access-log']) {
      await page.goto(path);
      await page.locator('.ant-card').first().waitFor();
      await page.waitForLoadState('networkidle');
      const problems = await page.locator('[role=alert]').allTextContents();
      expect({ path, problems }).toEqual({ path, problems: [] });
      const name = path.slice(1).replace(/\//g, '-');
      await screenshot(page, name);
      await audit(name);
    }
    // the access log lists the tax office's reads of the company's statements
    await page.locator('tbody tr.ant-table-row').first().waitFor();
  }, 120_000);

  it("the counter reads the company's record for it and sees its statement", async () => {
    await signIn(page, 'CREDIT_OFFICE', 'credit_office');
    await page.waitForURL(/\/counter/);
    await page.getByLabel('统一社会信用代码或身份证号').fill(DEMO_SUBJECTS.company.id);
    await page.getByRole('button', { name: '查询信用记录' }).click();
    await page.waitForURL(/\/counter\/record\?subject=/);
    await page.locator('tr', { hasText: '杭税稽罚〔2026〕88号' }).waitFor();
    await page.getByRole('tab', { name: '陈述申辩' }).click();
    await page.getByTestId('statement-reply').first().waitFor();
    await screenshot(page, 'counter-statements');
    await audit('counter-statements');
  }, 60_000);

  it('the public page finds the demo entries without signing in, an individual masked', async () => {
    await page.goto('/disclosure');
    await page.getByLabel('名称或代码').fill('杭州示范建设');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    const results = page.getByTestId('public-results');
    await results.locator('tr', { hasText: DEMO_SUBJECTS.company.name }).waitFor();
    expect(await results.textContent()).toContain(DEMO_SUBJECTS.company.id);
    await screenshot(page, 'public-disclosure');
    await audit('public-disclosure');
    // an individual is found by the whole name, and shown masked, as the public API answers
    await page.getByLabel('名称或代码').fill(DEMO_SUBJECTS.person.name);
    await page.getByRole('button', { name: /查\s*询/ }).click();
    const masked = results.getByTestId('public-subject-id').first();
    await waitFor(async () => ((await masked.textContent()) ?? '').includes('*'), {
      timeoutMs: 10_000,
      message: 'the masked ID number',
    });
    const shown = await masked.textContent();
    expect(shown).not.toBe(DEMO_SUBJECTS.person.id);
    const answer = await api<{ items: { subject: { id: string; name: string } }[] }>(
      'GET',
      `${platform.url}/public/v1/entries?q=${encodeURIComponent(DEMO_SUBJECTS.person.name)}`,
    );
    expect(answer.body.items.map((e) => e.subject.id)).toContain(shown);
    expect(await results.textContent()).toContain(answer.body.items[0].subject.name);
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.waitForTimeout(300);
    await screenshot(page, 'public-disclosure-768x1024');
    expect(await overflows(page)).toBe(false);
  }, 60_000);

  it('has no serious or critical accessibility violations on the new pages (axe-core, WCAG 2 AA)', () => {
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(8);
    expect(a11y).toEqual(Object.fromEntries(Object.keys(a11y).map((k) => [k, []])));
  });
});
