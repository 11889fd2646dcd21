import { defineCodes, defineErrors } from '@credit/platform';

/** ASSIGNMENT.* codes (see docs/errors.md). */
export const InboxErrors = defineErrors({
  NOT_FOUND: {
    code: 'ASSIGNMENT.NOT_FOUND',
    status: 404,
    message: 'assignment … does not exist',
  },
  OTHER_DEPARTMENT: {
    code: 'ASSIGNMENT.OTHER_DEPARTMENT',
    status: 403,
    message: 'assignment … belongs to another department',
  },
  TRANSITION_NOT_ALLOWED: {
    code: 'ASSIGNMENT.TRANSITION_NOT_ALLOWED',
    status: 409,
    message: "the assignment's status does not allow this (当前状态不允许此操作)",
  },
});

/** Why enforcement dead-letters an assignment event (`RejectedEventError`, no retries). */
export const InboxRejections = defineCodes('dead-letter', {
  UNKNOWN: {
    code: 'ASSIGNMENT.UNKNOWN',
    message: 'a suspension, resumption or lift for an assignment this inbox never received',
  },
});
