import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { ConfigError, createRootLogger, setupTracingFromEnv } from '@credit/platform';
import { demoGuide, demoPresent, loadDemo } from './demo';
import { EmbeddedPlatform, loadEmbeddedConfig, startEmbeddedPlatform } from './embedded-platform';

const STOP_DEADLINE_MS = 30_000;

/**
 * npm start: the whole platform in one process on port 3000, nothing to install but Node.
 * `--demo` loads the demo (as on a first start); `--no-demo` never does.
 */
async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  let config;
  try {
    config = loadEmbeddedConfig().embedded;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`embedded: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logFile = config.EMBEDDED_LOG_FILE;
  if (logFile !== '-') mkdirSync(dirname(logFile), { recursive: true });
  const logger = createRootLogger(
    'embedded',
    config.LOG_LEVEL,
    logFile === '-' ? undefined : pino.destination({ dest: logFile, append: true, sync: false }),
  );
  const say = (line: string) => process.stdout.write(`${line}\n`);

  // before the app: its request hooks are only added when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT)
  const tracing = setupTracingFromEnv('embedded');
  if (tracing) logger.info('traces exported over OTLP');

  let platform: EmbeddedPlatform;
  try {
    platform = await startEmbeddedPlatform(logger);
  } catch (err) {
    logger.fatal({ err }, 'embedded platform failed to start');
    process.stderr.write(`embedded platform failed to start: ${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  }
  const readyMs = Math.round(process.uptime() * 1000);
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  logger.info(
    { url: platform.url, host: config.HOST, readyMs, rssMb, firstStart: platform.firstStart },
    'embedded platform ready',
  );
  say(
    `embedded platform ready at ${platform.url} in ${(readyMs / 1000).toFixed(1)} s, ${rssMb} MB resident` +
      ` (${platform.firstStart ? 'new database' : 'database kept'}: ${config.EMBEDDED_DATA_DIR}; logs: ${logFile})`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // a second Ctrl-C: the user does not want to wait for the drain
      say(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    say(`${signal}: stopping…`);
    // a stop that hangs (a wedged database) must not leave the process behind
    setTimeout(() => {
      process.stderr.write(`stop did not finish within ${STOP_DEADLINE_MS / 1000} s; exiting\n`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    platform
      .close()
      .then(() => (tracing ? tracing.shutdown().catch(() => undefined) : undefined))
      .then(
        () => process.exit(0),
        (err: Error) => {
          process.stderr.write(`stop failed: ${err.stack}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const secret = config.AUTH_JWT_SECRET;
  const wantDemo =
    !args.has('--no-demo') && (args.has('--demo') || (platform.firstStart && config.EMBEDDED_DEMO));
  if (!secret) {
    say(`tokens come from ${config.AUTH_JWKS_URL}; API: ${platform.url}/docs`);
    return;
  }
  let demo;
  if (wantDemo) {
    say('loading the demo (departments, list types, memoranda, a few entries)…');
    try {
      demo = await loadDemo(platform.url, secret);
      logger.info({ catalog: demo.catalog, entries: demo.entries.length }, 'demo loaded');
    } catch (err) {
      logger.error({ err }, 'demo not loaded');
      say(`the demo could not be loaded: ${(err as Error).message}`);
    }
  }
  // tokens of every role are keys to the data: printed only for the demo's data, on a development machine
  // (NODE_ENV set explicitly; `npm start` sets it), never for an installation holding real entries
  if (process.env.NODE_ENV === 'development' && (demo || (await demoPresent(platform.url, secret)))) {
    say(await demoGuide(platform.url, secret, demo));
  } else {
    say(`no tokens printed (only for the demo, with NODE_ENV=development); API: ${platform.url}/docs`);
  }
  say('Ctrl-C stops the platform; the data stays for the next start.');
}

void main();
