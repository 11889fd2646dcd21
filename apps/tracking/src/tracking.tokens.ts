export const TRACKING_DB = Symbol('TRACKING_DB');
export const TRACKING_MESSAGING = Symbol('TRACKING_MESSAGING');
export const TRACKING_SCHEMA = 'tracking';
export const TRACKING_SOURCE = '/credit/tracking';
/** Appended to tracking's consumer group (and inbox) names; '' in a normal deployment. */
export const TRACKING_CONSUMER_GROUP_SUFFIX = Symbol('TRACKING_CONSUMER_GROUP_SUFFIX');
