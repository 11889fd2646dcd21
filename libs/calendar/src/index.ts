export * from './calendar-data';
export { CHINA_UTC_OFFSET_MS, chinaIsoDate } from './china-day';
export * from './load-calendar';
export * from './working-calendar';
