import { defineErrors } from '@credit/platform';

/** TRAIL.* codes (see docs/errors.md). */
export const TrailErrors = defineErrors({
  NOT_FOUND: {
    code: 'TRAIL.NOT_FOUND',
    status: 404,
    message: 'no trail for list entry …',
  },
});
