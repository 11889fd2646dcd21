export * from './address-class';
export * from './webhook-url-policy';
export * from './webhook-url.errors';
