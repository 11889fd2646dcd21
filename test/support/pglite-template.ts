import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/**
 * Where the PGlite database folder with every service's migrations applied lives, by a hash of the
 * migrations (immich's template database, on PGlite): one per set of migrations, in the temporary folder,
 * shared by the medium specs (test/support/medium.ts) and the embedded processes the e2e tests start
 * (test/support/embedded-process.ts). Cheap: reads the migration files, opens no database.
 */
export function templatePath(): string {
  const hash = createHash('sha256');
  for (const dir of [...migrationFolders(join(ROOT, 'apps')), ...migrationFolders(join(ROOT, 'libs'))])
    for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  return join(tmpdir(), `credit-medium-template-${hash.digest('hex').slice(0, 16)}`);
}

/**
 * The template's folder, made first when missing: `migrate(dataDir)` opens a database in dataDir (its
 * `pgdata`, a copy of the bare database: no initdb), applies the migrations and closes it.
 */
export async function ensureTemplate(migrate: (dataDir: string) => Promise<void>): Promise<string> {
  const template = templatePath();
  if (existsSync(template)) return template;
  const bare = await bareDatabase();
  return ensureFolder(template, async (dataDir) => {
    cpSync(bare, join(dataDir, 'pgdata'), { recursive: true });
    await migrate(dataDir);
  });
}

/**
 * A PGlite database folder as initdb leaves it, nothing migrated (decision 0061): PGlite's initdb costs some
 * 8 CPU-seconds and 800 MB in a process of its own, a copy of this folder a fraction of a second. By the
 * PGlite version the lockfile installs; for the migrated template and for the tests that migrate a
 * database step by step (test/support/partition-cases.ts).
 */
export async function bareDatabase(): Promise<string> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  const version = lock.packages['node_modules/@electric-sql/pglite'].version;
  return ensureFolder(join(tmpdir(), `credit-pglite-initdb-${version}`), async (dataDir) => {
    const { EmbeddedPostgres } = await import('@credit/persistence');
    await (await EmbeddedPostgres.open({ dataDir })).close();
  });
}

/** `path`, made first when missing (into a temporary folder, then renamed): racing workers keep the first made. */
async function ensureFolder(path: string, make: (dataDir: string) => Promise<void>): Promise<string> {
  if (existsSync(path)) return path;
  const building = mkdtempSync(`${path}.building-`);
  try {
    await make(building);
    try {
      renameSync(join(building, 'pgdata'), path);
    } catch (err) {
      if (!existsSync(path)) throw err; // another worker finished first: its copy is as good
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return path;
}

function migrationFolders(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name === 'console') continue;
    const path = join(dir, entry.name);
    if (entry.name === 'migrations') found.push(path);
    else found.push(...migrationFolders(path));
  }
  return found;
}
