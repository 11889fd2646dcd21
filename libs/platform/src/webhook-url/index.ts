export * from './address-class';
export * from './webhook-url-policy';
