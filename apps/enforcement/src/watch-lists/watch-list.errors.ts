import { defineErrors } from '@credit/platform';

/** WATCH_LIST.* codes (see docs/errors.md). */
export const WatchListErrors = defineErrors({
  NO_REASON: {
    code: 'WATCH_LIST.NO_REASON',
    status: 403,
    message: 'your department implements no measure that could reach this subject, and no admin granted it',
  },
  FULL: {
    code: 'WATCH_LIST.FULL',
    status: 422,
    message: 'your department already watches … subjects, the most it may (…)',
  },
  NOT_WATCHED: {
    code: 'WATCH_LIST.NOT_WATCHED',
    status: 404,
    message: 'this subject is not on your watch list',
  },
});
