import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { join } from 'node:path';

/** A service as an operator runs it: its own process, from the build, that a test may kill. */
export type ServiceName = 'registry' | 'trigger' | 'enforcement' | 'tracking';

const ROOT = join(__dirname, '..', '..');

/** Whether this test file has already made sure of the build (sources do not change during a run). */
let built = false;

/** The services run built (`npm run build`), rebuilt when a source is newer than the build. */
export function ensureBuilt(): void {
  if (built) return;
  const main = join(ROOT, 'dist/apps/registry/src/main.js');
  const stale =
    !existsSync(main) ||
    execFileSync('find', ['apps', 'libs', '-name', '*.ts', '-newer', main, '-print', '-quit'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim() !== '';
  if (stale) execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

export { freePort } from './free-port';

/** Starts `service` with `env` over the test's environment; its log lines are appended to `logFile`. */
export function startServiceProcess(
  service: ServiceName,
  env: Record<string, string>,
  logFile: string,
): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', join(ROOT, `dist/apps/${service}/src/main.js`)],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', openSync(logFile, 'a'), 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  child.on('exit', (code) => {
    if (code !== null && code !== 0) process.stderr.write(`${service} exited ${code}: ${stderr}\n`);
  });
  return child;
}

/** Whether the service at `url` answers /health/ready with 200. */
export async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Resolves once the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}
