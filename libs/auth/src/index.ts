export * from './principal';
export * from './token-verifier';
export * from './decorators';
export * from './auth.guard';
export * from './department-directory';
export * from './access-policy';
export * from './party-policy';
export * from './auth.errors';
