import { defineErrors } from '@credit/platform';

/** CHECK.* codes (see docs/errors.md). */
export const CheckErrors = defineErrors({
  NOT_FOUND: {
    code: 'CHECK.NOT_FOUND',
    status: 404,
    message: 'check … does not exist',
  },
  OTHER_DEPARTMENT: {
    code: 'CHECK.OTHER_DEPARTMENT',
    status: 403,
    message: 'this check was made by another department',
  },
  NOTHING_TO_DECIDE: {
    code: 'CHECK.NOTHING_TO_DECIDE',
    status: 409,
    message: 'the check hit no measure of your department',
  },
  ALREADY_DECIDED: {
    code: 'CHECK.ALREADY_DECIDED',
    status: 409,
    message: 'what was done with this hit is already recorded',
  },
});
