import { defineErrors } from '@credit/platform';

/** DOCUMENT.* codes (see docs/errors.md). */
export const DocumentErrors = defineErrors({
  NOT_FOUND: {
    code: 'DOCUMENT.NOT_FOUND',
    status: 404,
    message: 'document … does not exist',
  },
  NOT_READY: {
    code: 'DOCUMENT.NOT_READY',
    status: 409,
    message: 'the document is being generated; try again in a moment (文书生成中)',
  },
  REDACTED: {
    code: 'DOCUMENT.REDACTED',
    status: 409,
    message: 'the document was removed with the personal data of its entry (已匿名化)',
  },
});
