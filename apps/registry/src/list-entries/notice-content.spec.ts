import { DomainError } from '@credit/platform';
import { assertNoticeDate } from './notice-content';

const code = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as DomainError).code;
  }
};
const DAY = 86_400_000;
const now = new Date('2026-12-03T02:00:00Z');
const created = new Date(now.getTime() - 30 * DAY);

describe('the date of a notice', () => {
  it.each([
    ['now', now, 'ok'],
    ['7 days back', new Date(now.getTime() - 7 * DAY), 'ok'],
    [
      '7 days and a minute back',
      new Date(now.getTime() - 7 * DAY - 60_000),
      'LIST_ENTRY.NOTICE_BACKDATED_TOO_FAR',
    ],
    ['in the future', new Date(now.getTime() + 1000), 'LIST_ENTRY.NOTICE_IN_FUTURE'],
  ])('%s → %s', (_name, noticedAt, expected) => {
    expect(code(() => assertNoticeDate(noticedAt, created, now, 7))).toBe(expected);
  });

  it('is never before the entry was created, however far back the limit reaches', () => {
    const justCreated = new Date(now.getTime() - DAY);
    expect(code(() => assertNoticeDate(new Date(now.getTime() - 2 * DAY), justCreated, now, 7))).toBe(
      'LIST_ENTRY.NOTICE_BEFORE_CREATION',
    );
  });
});
