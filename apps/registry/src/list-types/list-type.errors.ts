import { defineErrors } from '@credit/platform';

/** LIST_TYPE.* codes (see docs/errors.md). */
export const ListTypeErrors = defineErrors({
  NOT_FOUND_IN_REQUEST: {
    code: 'LIST_TYPE.NOT_FOUND',
    status: 422,
    message: 'the list type named in the request body does not exist',
  },
  ALREADY_EXISTS: {
    code: 'LIST_TYPE.ALREADY_EXISTS',
    status: 409,
    message: 'list type … already exists',
  },
  NOT_FOUND: {
    code: 'LIST_TYPE.NOT_FOUND',
    status: 404,
    message: 'list type … does not exist',
  },
  COLOUR_FIXED: {
    code: 'LIST_TYPE.COLOUR_FIXED',
    status: 422,
    message: "list type … is …: a list's colour does not change (define a new list type)",
  },
  OWNER_FIXED: {
    code: 'LIST_TYPE.OWNER_FIXED',
    status: 422,
    message: 'list type … belongs to …: its owner does not change',
  },
  EXTENSION_BOUNDS_INVALID: {
    code: 'LIST_TYPE.EXTENSION_BOUNDS_INVALID',
    status: 422,
    message: 'extension.minDays must not exceed extension.maxDays',
  },
  ENDS_ON_BLACK_LISTING_RED_ONLY: {
    code: 'LIST_TYPE.ENDS_ON_BLACK_LISTING_RED_ONLY',
    status: 422,
    message: 'only a red list ends when its subject is black-listed (红黑名单互斥仅适用于红名单)',
  },
  REPAIR_OVERRIDE_NEEDS_REASON: {
    code: 'LIST_TYPE.REPAIR_OVERRIDE_NEEDS_REASON',
    status: 422,
    message: 'a … list type waits … days before repair; … days needs a reason (修复期限调整须说明理由)',
  },
  STATEMENT_MINIMUM_NEEDS_REASON: {
    code: 'LIST_TYPE.STATEMENT_MINIMUM_NEEDS_REASON',
    status: 422,
    message:
      'a statement period below the minimum for the list needs the reason its legal basis gives (陈述申辩期缩短须说明依据)',
  },
  STATEMENT_PERIOD_TOO_SHORT: {
    code: 'LIST_TYPE.STATEMENT_PERIOD_TOO_SHORT',
    status: 422,
    message: 'noticeWorkingDays … is below the minimum statement period of … working days (陈述申辩期不足)',
  },
});
