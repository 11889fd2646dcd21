export const TRACKING_DB = Symbol('TRACKING_DB');
export const TRACKING_MESSAGING = Symbol('TRACKING_MESSAGING');
export const TRACKING_SCHEMA = 'tracking';
export const TRACKING_SOURCE = '/credit/tracking';
