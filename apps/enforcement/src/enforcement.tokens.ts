export const ENFORCEMENT_DB = Symbol('ENFORCEMENT_DB');
export const ENFORCEMENT_MESSAGING = Symbol('ENFORCEMENT_MESSAGING');
export const ENFORCEMENT_SCHEMA = 'enforcement';
export const ENFORCEMENT_SOURCE = '/credit/enforcement';
