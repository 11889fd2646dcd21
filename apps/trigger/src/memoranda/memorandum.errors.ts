import { defineErrors } from '@credit/platform';

/** MEMORANDUM.* codes (see docs/errors.md). */
export const MemorandumErrors = defineErrors({
  PERIOD_REVERSED: {
    code: 'MEMORANDUM.PERIOD_REVERSED',
    status: 422,
    message: 'effectiveTo … is before effectiveFrom …',
  },
  NOT_FOUND: {
    code: 'MEMORANDUM.NOT_FOUND',
    status: 404,
    message: 'memorandum … does not exist',
  },
  DUPLICATE_MEASURE: {
    code: 'MEMORANDUM.DUPLICATE_MEASURE',
    status: 422,
    message: 'measure … appears twice',
  },
  ALREADY_EXISTS: {
    code: 'MEMORANDUM.ALREADY_EXISTS',
    status: 409,
    message: 'memorandum … already exists',
  },
});
