import { findConsoleDir, createRootLogger } from '@credit/platform';
import { buildGateway } from './gateway';

/**
 * npm run start:cluster starts it: port 3000 (PORT), the services at REGISTRY_URL, TRIGGER_URL,
 * ENFORCEMENT_URL and TRACKING_URL (default 127.0.0.1:3001–3004), the console from CONSOLE_DIR or the build.
 * ENFORCEMENT_REPLICAS (comma-separated base URLs): the replicas of a split check index (CHECK_INDEX_SPLIT,
 * decision 0058); each check goes to the one holding its subject, over ENFORCEMENT_CONNECTIONS (64) kept
 * connections to each, ENFORCEMENT_PIPELINING (1) requests in flight on each (decision 0065).
 */
async function main() {
  const env = process.env;
  const logger = createRootLogger('gateway', env.LOG_LEVEL ?? 'info');
  const upstreams = {
    registry: env.REGISTRY_URL ?? 'http://127.0.0.1:3001',
    trigger: env.TRIGGER_URL ?? 'http://127.0.0.1:3002',
    enforcement: env.ENFORCEMENT_URL ?? 'http://127.0.0.1:3003',
    tracking: env.TRACKING_URL ?? 'http://127.0.0.1:3004',
  };
  const consoleDir = findConsoleDir(__dirname, env);
  const enforcementReplicas = (env.ENFORCEMENT_REPLICAS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  const checkForwarding = {
    connections: Number(env.ENFORCEMENT_CONNECTIONS ?? 64),
    pipelining: Number(env.ENFORCEMENT_PIPELINING ?? 1),
  };
  const app = await buildGateway({ upstreams, consoleDir, logger, enforcementReplicas, checkForwarding });
  const port = Number(env.PORT ?? 3000);
  await app.listen({ port, host: env.HOST ?? '0.0.0.0' });
  logger.info({ port, upstreams, enforcementReplicas, console: consoleDir ?? null }, 'gateway listening');
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`gateway failed to start: ${err.stack}\n`);
  process.exit(1);
});
