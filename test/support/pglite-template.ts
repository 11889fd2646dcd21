import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
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
 * `pgdata`), applies the migrations and closes it. Workers racing to make it keep the first one made.
 */
export async function ensureTemplate(migrate: (dataDir: string) => Promise<void>): Promise<string> {
  const template = templatePath();
  if (existsSync(template)) return template;
  const building = mkdtempSync(`${template}.building-`);
  try {
    await migrate(building);
    try {
      renameSync(join(building, 'pgdata'), template);
    } catch (err) {
      if (!existsSync(template)) throw err; // another worker finished first: its copy is as good
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
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
