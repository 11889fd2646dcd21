export * from './run-service';
export * from './main-helper';
