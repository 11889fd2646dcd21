import { defineCodes } from '@credit/platform';

/**
 * FEEDBACK.*: why trigger dead-letters a department's enforcement feedback (`RejectedEventError`, no
 * retries): it can never apply, whatever is retried. Operators read them in `npm run dead-letters`.
 */
export const FeedbackRejections = defineCodes('dead-letter', {
  UNKNOWN_ASSIGNMENT: {
    code: 'FEEDBACK.UNKNOWN_ASSIGNMENT',
    message: 'the feedback names an assignment that does not exist',
  },
  WRONG_DEPARTMENT: {
    code: 'FEEDBACK.WRONG_DEPARTMENT',
    message: 'the feedback comes from another department than the one the assignment went to',
  },
  OUT_OF_ORDER: {
    code: 'FEEDBACK.OUT_OF_ORDER',
    message:
      "the assignment's status does not allow this feedback (an enforcement before acknowledging, after a lift)",
  },
});
