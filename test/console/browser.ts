import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
/** Every page the tests visit, as CI artifacts (ARTIFACTS_DIR; default .data/artifacts/console). */
export const ARTIFACTS = process.env.ARTIFACTS_DIR
  ? join(process.env.ARTIFACTS_DIR, 'console')
  : join(ROOT, '.data', 'artifacts', 'console');
/** The README's screenshots, rewritten when UPDATE_SCREENSHOTS=1. */
const DOCS = join(ROOT, 'docs', 'screenshots');

export const VIEWPORT = { width: 1366, height: 768 };

/** Debian's Chromium (scripts/ensure-chromium.sh installs it); no browser is downloaded. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `${executablePath} is missing: run scripts/ensure-chromium.sh (apt-get install chromium)`,
    );
  }
  if (!existsSync(join(ROOT, 'apps/console/dist/index.html'))) {
    throw new Error('the console is not built: npm run console:build');
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--lang=zh-CN'],
  });
}

/**
 * One browser context per test file (decision 0062): its pages share the HTTP cache, so the console's
 * assets (immutable, hashed names) are fetched and compiled once per file instead of once per test. Each
 * test has a page (a tab) of its own, and the console keeps who signed in per tab (sessionStorage; it
 * keeps nothing in cookies or localStorage), so no test sees another's session.
 */
export async function newContext(browser: Browser, base: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: base,
    viewport: VIEWPORT,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    // the console honours it (WCAG 2.3.3, apps/console/src/lib/reduced-motion.ts): no drawer caught
    // half-way in, and a renderer that does not paint transitions on a busy 2-core machine
    reducedMotion: 'reduce',
  });
}

/**
 * A new tab of the file's context: signed out, at 1366×768. Given the browser (and the base), a tab in a
 * context of its own, with a cold cache (the console's benchmark measures cold loads).
 */
export async function newPage(owner: Browser | BrowserContext, base?: string): Promise<Page> {
  const context = 'newContext' in owner ? await newContext(owner, base!) : owner;
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

/** Waits until nothing animates but what loops for ever (a spinner): colours and sizes as they settle. */
export async function animationsSettled(page: Page): Promise<void> {
  // two frames first: a transition that a change of state starts begins at the next style update
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  await page.waitForFunction(
    `document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)`,
  );
}

export async function screenshot(page: Page, name: string, readme = false): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  if (readme && process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: join(DOCS, `${name}.png`), fullPage: false });
  }
  return path;
}

/** Picks an option of an Ant Design select by its label (typed, then chosen from the list). */
export async function choose(
  page: Page,
  label: string,
  option: string | RegExp,
  search?: string,
): Promise<void> {
  // (a required field's name starts with the asterisk Ant Design draws before its label)
  // (force: the chosen value's text lies over the input and takes the click to the same select)
  const select = page.getByRole('combobox', { name: new RegExp(`^[*\\s]*${label}$`) });
  // waits until it stands still (a drawer sliding in left it outside the viewport in CI), then clicks
  await select.scrollIntoViewIfNeeded();
  await select.click({ force: true });
  // the list is virtual (only the first few options exist): a searchable select is narrowed by typing
  if (search) await page.keyboard.type(search);
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
  await dropdown.locator('.ant-select-item-option', { hasText: option }).first().click();
  await dropdownsClosed(page);
}

/** Waits until no select's list is open (or closing: its animation keeps it in the page a moment). */
export async function dropdownsClosed(page: Page): Promise<void> {
  await page.waitForFunction(
    "document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').length === 0",
  );
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let axeSource: string | undefined;

/** axe-core on the page as it is (WCAG 2 A and AA rules): the serious and critical violations. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await dropdownsClosed(page);
  // a toast (antd's message) leaves by itself after a few seconds: one still on screen could start fading
  // during axe's run and be measured half transparent (a contrast failure of the moment, seen in CI)
  await page.waitForFunction("document.querySelectorAll('.ant-message-notice').length === 0", undefined, {
    timeout: 15_000,
  });
  // colours as they settle: Ant Design animates a selected menu item's and a button's background
  await animationsSettled(page);
  // once per document: a page the application changed without loading another keeps it
  if (!(await page.evaluate("typeof globalThis.axe === 'object'"))) {
    axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.addScriptTag({ content: axeSource });
  }
  const result = await page.evaluate(async () => {
    const browser = globalThis as unknown as {
      axe: { run: (c: unknown, o: unknown) => Promise<{ violations: AxeViolation[] }> };
      document: unknown;
    };
    // Ant Design's hidden measuring row of a scrolling table is not content (and not reachable)
    return browser.axe.run(
      { exclude: [['.ant-table-measure-row']] },
      // (only the violations' nodes: axe then skips the details of every passed check, its slow part)
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] },
    );
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
    }));
}

/** Signs in through the development sign-in page as a department and role, as a person does. */
export async function signInThroughPage(page: Page, dept: string, role: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL(/\/sign-in/);
  await choose(page, '部门', `（${dept}）`, dept);
  await choose(page, '角色', `（${role}）`);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('who').waitFor();
}

/** Where the console keeps the tab's token (apps/console/src/auth/session.ts). */
const SESSION_KEY = 'credit.console.token';

/**
 * Signed in as a department and role with what the sign-in page does — the token from the development
 * route POST /dev/v1/token, kept in the tab's sessionStorage — then the console's home, which takes the role
 * to its first page. The page itself is walked through by signInThroughPage (dev-sign-in.e2e-spec.ts and
 * the console's first tests); doing it before every test cost ~3 s on a quiet machine, twice that in CI.
 */
export async function signIn(page: Page, dept: string, role: string): Promise<void> {
  const minted = await page.request.post('/dev/v1/token', { data: { dept, role } });
  if (!minted.ok()) throw new Error(`POST /dev/v1/token: ${minted.status()} ${await minted.text()}`);
  const { token } = (await minted.json()) as { token: string };
  // a document of the console's origin that loads no application, for its sessionStorage
  await page.goto('/health/live');
  await page.evaluate(`sessionStorage.setItem(${JSON.stringify(SESSION_KEY)}, ${JSON.stringify(token)})`);
  await page.goto('/');
  await page.getByTestId('who').waitFor();
}
