export * from './quota-counter';
export * from './quota-exceeded';
export * from './quota-store';
export * from './quotas';
export * from './quota.interceptor';
export * from './quota-config';
