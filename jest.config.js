// Unit tests sit beside the code (*.spec.ts); cross-service and infrastructure tests live in test/
// (*.integration-cases.ts, *.e2e-cases.ts, run from one *.e2e-spec.ts per area, decision 0084; the console's
// and the compose stack's files on their own) and talk to the real PostgreSQL, Redis and Kafka (containers or
// the machine's own, decision 0048). Between them, medium tests (*.medium-cases.ts, beside the code) run use
// cases, handlers and jobs on PGlite with the migrations and the in-process bus (decision 0046), from one
// *.medium-spec.ts per service: a jest file loads NestJS, TypeORM and the modules once (decision 0061).
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const shared = {
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }],
    '@electric-sql/pglite/.+\\.cjs$': '<rootDir>/test/support/node-import-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@credit/(contracts|messaging|auth|platform|persistence|runtime|identifiers|calendar)$':
      '<rootDir>/libs/$1/src',
  },
};
module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // the longest files first, also on a fresh clone with no durations in jest's cache (decision 0060)
  testSequencer: '<rootDir>/test/support/test-sequencer.js',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts'],
      testRegex: '\\.spec\\.ts$',
    },
    {
      ...shared,
      displayName: 'medium',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
      testRegex: '\\.medium-spec\\.ts$',
      setupFilesAfterEnv: ['<rootDir>/test/support/medium-setup.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testRegex: '\\.(integration|e2e)-spec\\.ts$',
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-setup.ts'],
      // PostgreSQL, Redis and Kafka: one set of containers per run, or the machine's (decision 0048)
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
