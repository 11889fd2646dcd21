import 'reflect-metadata';
import { checkServiceConfig, LOCAL_JWT_SECRET, ServiceConfig } from './service-config';
import { ConfigError, loadConfig } from './config';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the local defaults when nothing is set', () => {
    const config = loadConfig(ServiceConfig, {});

    expect(config).toBeInstanceOf(ServiceConfig);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/credit',
      DATABASE_POOL_SIZE: 10,
      DATABASE_MIGRATE_ON_START: true,
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_TOPIC_PREFIX: '',
      KAFKA_PARTITIONS: 6,
      AUTH_JWT_SECRET: LOCAL_JWT_SECRET,
      LOG_LEVEL: 'info',
    });
    expect(config.AUTH_JWKS_URL).toBeUndefined();
  });

  it('treats an empty variable as not set', () => {
    expect(loadConfig(ServiceConfig, { PORT: '', LOG_LEVEL: '' })).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'info',
    });
  });

  it('converts numbers from their text', () => {
    const config = loadConfig(ServiceConfig, {
      PORT: '8080',
      DATABASE_POOL_SIZE: '4',
      KAFKA_PARTITIONS: '12',
    });

    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_POOL_SIZE).toBe(4);
    expect(config.KAFKA_PARTITIONS).toBe(12);
  });

  it.each([
    ['false', false],
    ['0', false],
    ['no', false],
    [' FALSE ', false],
    ['true', true],
    ['1', true],
    ['yes', true],
  ])('reads the boolean %p as %p', (text, expected) => {
    expect(loadConfig(ServiceConfig, { DATABASE_MIGRATE_ON_START: text }).DATABASE_MIGRATE_ON_START).toBe(
      expected,
    );
  });

  it('ignores variables the schema does not know', () => {
    const config = loadConfig(ServiceConfig, { SOMETHING_ELSE: 'x' });

    expect(config).not.toHaveProperty('SOMETHING_ELSE');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_MIGRATE_ON_START', 'maybe'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'loud'],
    ['AUTH_JWKS_URL', 'not a url'],
  ])('names %s when it is %p', (name, value) => {
    const err = configError(() => loadConfig(ServiceConfig, { [name]: value }));

    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(err.problems[0]).toContain(`got ${JSON.stringify(value)}`);
    expect(err.message).toContain(name);
  });

  it('reports every bad variable at once', () => {
    const err = configError(() => loadConfig(ServiceConfig, { PORT: 'x', LOG_LEVEL: 'loud' }));

    expect(err.problems.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT']);
  });

  it('never repeats a secret in its message', () => {
    const err = configError(() => loadConfig(ServiceConfig, { AUTH_JWT_SECRET: 'short-s3cret' }));

    expect(err.problems[0]).toMatch(/^AUTH_JWT_SECRET: /);
    expect(err.message).toContain('"***"');
    expect(err.message).not.toContain('short-s3cret');
  });

  it('applies the cross-variable check after each variable is valid', () => {
    const err = configError(() => loadConfig(ServiceConfig, { NODE_ENV: 'production' }, checkServiceConfig));

    expect(err.problems).toEqual([expect.stringMatching(/^AUTH_JWT_SECRET: .*production/)]);
    expect(
      loadConfig(
        ServiceConfig,
        { NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-real-production-secret' },
        checkServiceConfig,
      ).NODE_ENV,
    ).toBe('production');
  });
});
