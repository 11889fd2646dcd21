/** DI tokens of the registry's own database and messaging (several services may share one process). */
export const REGISTRY_DB = Symbol('REGISTRY_DB');
export const REGISTRY_MESSAGING = Symbol('REGISTRY_MESSAGING');
export const REGISTRY_SCHEMA = 'registry';
export const REGISTRY_SOURCE = '/credit/registry';
/** How often the expiry job looks for entries whose period is over (ms; 0 disables it). */
export const REGISTRY_EXPIRY_INTERVAL = Symbol('REGISTRY_EXPIRY_INTERVAL');
export const REGISTRY_IDENTIFIER_POLICY = Symbol('REGISTRY_IDENTIFIER_POLICY');
/** How often pending documents are looked for (ms; 0: only when woken). */
export const REGISTRY_DOCUMENTS_INTERVAL = Symbol('REGISTRY_DOCUMENTS_INTERVAL');
/** How far back a notice may be dated (days before now; never before the entry was created). */
export const REGISTRY_NOTICE_MAX_BACKDATE_DAYS = Symbol('REGISTRY_NOTICE_MAX_BACKDATE_DAYS');
