export * from './topics';
export * from './event-types';
export * from './cloud-event';
export * from './domain';
export * from './payloads';
export * from './schemas';
export * from './assignment-lifecycle';
export * from './anonymise';
