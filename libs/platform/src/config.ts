import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Parses the environment into a typed, validated config object once, at start-up. Property names are
 * the variable names, so every message names the variable to fix.
 */
export function loadConfig<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv = process.env,
  check: (config: T) => string[] = () => [],
): T {
  const defaults = new schema() as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults))
    raw[key] = env[key] === '' || env[key] === undefined ? defaults[key] : env[key];
  const config = plainToInstance(schema, raw, { enableImplicitConversion: true });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => {
        const value = (raw as Record<string, unknown>)[e.property];
        const shown =
          value === undefined ? 'not set' : `got ${JSON.stringify(isSecret(e.property) ? '***' : value)}`;
        return `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} (${shown})`;
      }),
    );
  }
  const problems = check(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function isSecret(name: string): boolean {
  return /SECRET|PASSWORD|TOKEN/i.test(name);
}
