import 'reflect-metadata';
import {
  authOptions,
  checkServiceConfig,
  LOCAL_JWT_SECRET,
  parseTrustProxy,
  ServiceConfig,
} from './service-config';
import { lifetimeSeconds } from '@credit/auth';
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
      PORT: 3000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/credit',
      DATABASE_POOL_SIZE: 10,
      DATABASE_MIGRATE_ON_START: true,
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_TOPIC_PREFIX: '',
      KAFKA_PARTITIONS: 6,
      AUTH_JWT_SECRET: LOCAL_JWT_SECRET,
      AUTH_MAX_TOKEN_AGE: '12h',
      AUTH_BOOTSTRAP_DEPT: 'CREDIT_OFFICE',
      AUTH_DEPARTMENT_ROLES: '',
      LOG_LEVEL: 'info',
    });
    expect(config.NODE_ENV).toBeUndefined(); // neither development nor test unless said so
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
    const err = configError(() =>
      loadConfig(
        ServiceConfig,
        { NODE_ENV: 'production', AUTH_ISSUER: 'x', AUTH_AUDIENCE: 'y' },
        checkServiceConfig,
      ),
    );

    expect(err.problems.map((p) => p.split(':')[0])).toEqual(['AUTH_JWT_SECRET', 'AUTH_JWKS_URL']);
  });
});

describe('the token settings (decision 0019)', () => {
  const check = (env: Record<string, string>) => {
    try {
      loadConfig(ServiceConfig, env, checkServiceConfig);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.map((p) => p.split(':')[0]);
      throw err;
    }
  };

  it.each([
    ['NODE_ENV not set', {}],
    ['NODE_ENV=production', { NODE_ENV: 'production' }],
  ])('refuses the built-in development secret with %s', (_name, env) => {
    expect(check(env)).toContain('AUTH_JWT_SECRET');
  });

  it.each(['development', 'test'])(
    'accepts the built-in secret where NODE_ENV is %s, said explicitly',
    (env) => {
      expect(check({ NODE_ENV: env })).toEqual([]);
    },
  );

  it('accepts a real secret outside production without NODE_ENV', () => {
    expect(check({ AUTH_JWT_SECRET: 'a-real-secret-of-some-length' })).toEqual([]);
  });

  it('requires issuer, audience and an https JWKS in production, a real secret notwithstanding', () => {
    expect(check({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-real-production-secret' })).toEqual([
      'AUTH_JWKS_URL',
      'AUTH_ISSUER',
      'AUTH_AUDIENCE',
    ]);
    expect(
      check({
        NODE_ENV: 'production',
        AUTH_JWKS_URL: 'http://idp.example/jwks',
        AUTH_ISSUER: 'https://idp.example',
        AUTH_AUDIENCE: 'credit',
      }),
    ).toEqual(['AUTH_JWKS_URL']);
    expect(
      check({
        NODE_ENV: 'production',
        AUTH_JWKS_URL: 'https://idp.example/jwks',
        AUTH_ISSUER: 'https://idp.example',
        AUTH_AUDIENCE: 'credit',
      }),
    ).toEqual([]);
  });

  it('reads the token age in seconds, minutes or hours, and refuses anything else', () => {
    expect(lifetimeSeconds('43200')).toBe(43200);
    expect(lifetimeSeconds('30m')).toBe(1800);
    expect(lifetimeSeconds('12h')).toBe(43200);
    expect(check({ NODE_ENV: 'test', AUTH_MAX_TOKEN_AGE: '12 hours' })).toEqual(['AUTH_MAX_TOKEN_AGE']);
    expect(check({ NODE_ENV: 'test', AUTH_MAX_TOKEN_AGE: '0' })).toEqual(['AUTH_MAX_TOKEN_AGE']);
  });

  it('checks the bootstrap department and the per-department role limits', () => {
    expect(check({ NODE_ENV: 'test', AUTH_BOOTSTRAP_DEPT: 'credit office' })).toEqual([
      'AUTH_BOOTSTRAP_DEPT',
    ]);
    expect(check({ NODE_ENV: 'test', AUTH_DEPARTMENT_ROLES: 'FINANCE=implementer,root' })).toEqual([
      'AUTH_DEPARTMENT_ROLES',
    ]);
    const config = loadConfig(
      ServiceConfig,
      {
        NODE_ENV: 'test',
        AUTH_MAX_TOKEN_AGE: '1h',
        AUTH_BOOTSTRAP_DEPT: 'CITY_CREDIT',
        AUTH_DEPARTMENT_ROLES: 'FINANCE=implementer,system; COURT=initiator',
      },
      checkServiceConfig,
    );
    const options = authOptions(config);
    expect(options).toMatchObject({ maxTokenAgeSeconds: 3600, bootstrapDept: 'CITY_CREDIT' });
    expect([...options.departmentRoles!.entries()].map(([d, r]) => [d, [...r]])).toEqual([
      ['FINANCE', ['implementer', 'system']],
      ['COURT', ['initiator']],
    ]);
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    ['', false],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
  ] as const)('%j → %j', (value, expected) => {
    expect(parseTrustProxy(loadConfig(ServiceConfig, { TRUST_PROXY: value }).TRUST_PROXY)).toEqual(expected);
  });

  it('refuses anything else, naming the variable', () => {
    expect(configError(() => loadConfig(ServiceConfig, { TRUST_PROXY: 'everyone' })).message).toContain(
      'TRUST_PROXY',
    );
  });
});
