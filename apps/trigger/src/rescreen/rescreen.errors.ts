import { defineErrors } from '@credit/platform';

/** RESCREEN.* codes (see docs/errors.md). */
export const RescreenErrors = defineErrors({
  NOT_FOUND: {
    code: 'RESCREEN.NOT_FOUND',
    status: 404,
    message: 're-screening job … does not exist',
  },
});
