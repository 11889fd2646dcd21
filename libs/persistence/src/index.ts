export * from './database';
export * from './embedded-postgres';
export * from './monthly-partitions';
export * from './database-probe';
export * from './after-commit';
