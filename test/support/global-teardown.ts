import type { StartedTestInfra } from './test-infra';

/** Stops and removes the run's containers (none when the run used the machine's services). */
export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as { testInfra?: StartedTestInfra }).testInfra;
  if (!infra) return;
  const started = Date.now();
  for (const line of await infra.databaseTrouble().catch(() => []))
    process.stdout.write(`[test-infra] postgres: ${line}\n`);
  await infra.stop();
  process.stdout.write(
    `[test-infra] containers removed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
