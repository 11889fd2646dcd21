import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@credit/auth';
import { LOCAL_JWT_SECRET } from '@credit/platform';
import { templatePath } from './pglite-template';

const ROOT = join(__dirname, '..', '..');
/** A template's maker that started this long ago and left no template has died: its lock is taken over. */
const STALE_LOCK_MS = 10 * 60_000;

/**
 * The data folder of an embedded process that loaded the demo on its first start and handled its events
 * (the migrated template, decision 0060, plus the demo): the console's end-to-end files start from a copy
 * instead of each loading the demo through the API again (decision 0062). The first start with the demo
 * stays tested where it is the subject (test/e2e/embedded.e2e-cases.ts). One per day (the demo's entries
 * and their deadlines are dated by the day they were made) and per source tree: the folder's name is a
 * hash of the sources that write the data, so a changed service never starts from an old one.
 */
export function demoTemplatePath(): string {
  const hash = createHash('sha256').update(templatePath());
  const sources = [
    ...['apps', 'libs'].flatMap((dir) => filesUnder(join(ROOT, dir), (p) => !p.includes('/console/'))),
    ...filesUnder(join(ROOT, 'deploy', 'demo')),
    join(ROOT, 'scripts', 'demo-catalog.ts'),
  ];
  for (const file of sources) hash.update(file.slice(ROOT.length)).update(readFileSync(file));
  // the demo's day in Beijing, as its entries and working-day deadlines count it
  hash.update(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
  return join(tmpdir(), `credit-embedded-demo-${hash.digest('hex').slice(0, 16)}`);
}

/**
 * The demo template's folder (a `pgdata` to copy), made when missing by `make(dataDir)`: it starts an
 * embedded process on `dataDir` with the demo, lets its events settle and stops it. Workers of one run
 * wait for the one that makes it (a lock folder) rather than each making its own.
 */
export async function ensureDemoTemplate(make: (dataDir: string) => Promise<void>): Promise<string> {
  const template = demoTemplatePath();
  const lock = `${template}.lock`;
  for (;;) {
    if (existsSync(template)) return template;
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  const building = mkdtempSync(`${template}.building-`);
  try {
    if (existsSync(template)) return template;
    await make(building);
    renameSync(join(building, 'pgdata'), template);
    return template;
  } finally {
    rmSync(building, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Waits until the demo's events are handled: the supervisor's statistics (tracking's view of the
 * assignments the trigger issued) read the same twice in a row, and not empty.
 */
export async function demoSettled(url: string, timeoutMs = 120_000): Promise<void> {
  const supervisor = await mintToken(
    { sub: 'e2e-demo-template', dept: 'CREDIT_OFFICE', roles: ['supervisor'] },
    LOCAL_JWT_SECRET,
  );
  const day = (offset: number) =>
    new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
  const read = async () => {
    const res = await fetch(`${url}/v1/stats/departments?from=${day(-29)}&to=${day(0)}`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    return res.text();
  };
  const deadline = Date.now() + timeoutMs;
  let before = await read();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await read();
    if (now === before && /"assigned":[1-9]/.test(now)) return;
    if (Date.now() > deadline) throw new Error(`the demo's events did not settle: ${now}`);
    before = now;
  }
}

function filesUnder(dir: string, keep: (path: string) => boolean = () => true): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.name === 'node_modules' || entry.name === 'dist' || !keep(path)) continue;
    if (entry.isDirectory()) found.push(...filesUnder(path, keep));
    else if (entry.isFile() && !/\.(medium-spec|spec)\.ts$/.test(entry.name)) found.push(path);
  }
  return found;
}
