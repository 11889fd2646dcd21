import { defineErrors } from '@credit/platform';

/** SUBSCRIPTION.* codes (see docs/errors.md). */
export const SubscriptionErrors = defineErrors({
  NOT_IMPLEMENTER: {
    code: 'SUBSCRIPTION.NOT_IMPLEMENTER',
    status: 403,
    message: 'measure … is implemented by …; … cannot subscribe to it',
  },
  NOT_FOUND: {
    code: 'SUBSCRIPTION.NOT_FOUND',
    status: 404,
    message: 'no subscription of … to …',
  },
});
