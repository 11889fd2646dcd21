export const TRIGGER_DB = Symbol('TRIGGER_DB');
export const TRIGGER_MESSAGING = Symbol('TRIGGER_MESSAGING');
export const TRIGGER_SCHEMA = 'trigger';
export const TRIGGER_SOURCE = '/credit/trigger';
export const TRIGGER_RESCREEN_OPTIONS = Symbol('TRIGGER_RESCREEN_OPTIONS');
export const TRIGGER_WINDOW_OPTIONS = Symbol('TRIGGER_WINDOW_OPTIONS');
