import { defineErrors } from '@credit/platform';

/** DOCUMENT.* codes (see docs/errors.md). */
export const DocumentErrors = defineErrors({
  NOT_FOUND: {
    code: 'DOCUMENT.NOT_FOUND',
    status: 404,
    message: 'document … does not exist',
  },
});
