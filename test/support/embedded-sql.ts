import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Runs SQL on the database files of a stopped embedded process (its `dataDir`), in a short-lived process
 * that opens them as the embedded mode does (EmbeddedPostgres: the folder's lock, btree_gist). For what a
 * test cannot wait for — days passing — in the mode that has no database server to connect to.
 */
export async function runEmbeddedSql(dataDir: string, sql: string, params: unknown[] = []): Promise<void> {
  const script = `const { EmbeddedPostgres } = require(${JSON.stringify(join(ROOT, 'libs/persistence/src/embedded-postgres.ts'))});
    EmbeddedPostgres.open({ dataDir: process.argv[1] })
      .then(async (db) => { try { await db.pglite.query(process.argv[2], JSON.parse(process.argv[3])); } finally { await db.close(); } })
      .then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });`;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', join(ROOT, 'bench/register.js'), '-e', script, dataDir, sql, JSON.stringify(params)],
      { cwd: ROOT },
      (err, _out, stderr) =>
        err ? reject(new Error(`SQL on ${dataDir} failed: ${stderr || err.message}`)) : resolve(),
    );
  });
}
