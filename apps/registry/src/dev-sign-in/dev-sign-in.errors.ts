import { defineErrors } from '@credit/platform';

/** DEV.* codes (see docs/errors.md). */
export const DevSignInErrors = defineErrors({
  INVALID_SUBJECT: {
    code: 'DEV.INVALID_SUBJECT',
    status: 422,
    message: 'a subject signs in with its unified social credit code or ID number',
  },
  UNKNOWN_DEPARTMENT: {
    code: 'DEV.UNKNOWN_DEPARTMENT',
    status: 422,
    message: 'no department …',
  },
  ROLE_NOT_OFFERED: {
    code: 'DEV.ROLE_NOT_OFFERED',
    status: 422,
    message: 'dev sign-in: the department is not offered this role',
  },
});
