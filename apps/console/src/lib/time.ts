import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale('zh-cn');

/** Every date of the console is Beijing time, whatever the browser's zone. */
export const ZONE = 'Asia/Shanghai';
dayjs.tz.setDefault(ZONE);

export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(ZONE).format('YYYY-MM-DD HH:mm') : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(ZONE).format('YYYY-MM-DD') : '—';
}

/** The day (Beijing) n days before today, as the API's `from`/`to` (YYYY-MM-DD). */
export function beijingDay(offsetDays = 0, now: Date = new Date()): string {
  return dayjs(now).tz(ZONE).add(offsetDays, 'day').format('YYYY-MM-DD');
}

export { dayjs };
