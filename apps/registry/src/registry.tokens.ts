/** DI tokens of the registry's own database and messaging (several services may share one process). */
export const REGISTRY_DB = Symbol('REGISTRY_DB');
export const REGISTRY_MESSAGING = Symbol('REGISTRY_MESSAGING');
export const REGISTRY_SCHEMA = 'registry';
export const REGISTRY_SOURCE = '/credit/registry';
