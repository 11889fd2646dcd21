// Unit tests sit beside the code (*.spec.ts); cross-service and infrastructure tests live in test/
// (*.integration-spec.ts, *.e2e-spec.ts) and talk to the real PostgreSQL, Redis and Kafka.
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
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts'],
      testRegex: '\\.spec\\.ts$',
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testRegex: '\\.(integration|e2e)-spec\\.ts$',
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-setup.ts'],
    },
  ],
};
