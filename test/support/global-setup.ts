import { chooseMode, startContainers, StartedTestInfra } from './test-infra';

/**
 * The integration project's globalSetup (jest.config.js): one set of containers for the whole run, or
 * the machine's services (decision 0048). The workers start after this and inherit process.env.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stdout.write(`[test-infra] ${line}\n`);
  const { mode, reason } = await chooseMode();
  if (mode === 'local') {
    log(`the machine's services (${reason})`);
    return;
  }
  const infra = await startContainers(log);
  for (const [name, value] of Object.entries(infra.env)) {
    const before = process.env[name];
    if (before && before !== value)
      log(`${name}=${before} is replaced by the container's (TEST_INFRA=local keeps it)`);
  }
  Object.assign(process.env, infra.env, { TEST_INFRA: 'containers' });
  (globalThis as { testInfra?: StartedTestInfra }).testInfra = infra;
  log(
    `containers (${reason}), ready in ${(infra.startedInMs / 1000).toFixed(1)} s: ` +
      `PostgreSQL ${infra.env.TEST_PG_ADMIN_URL}, ` +
      `Redis ${infra.env.REDIS_URL}, Kafka ${infra.env.KAFKA_BROKERS} ` +
      `(${Object.entries(infra.took)
        .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
        .join(', ')})`,
  );
}
