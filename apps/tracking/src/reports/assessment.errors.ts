import { defineErrors } from '@credit/platform';

/** ASSESSMENT.* codes (see docs/errors.md). */
export const AssessmentErrors = defineErrors({
  OTHER_DEPARTMENT: {
    code: 'ASSESSMENT.OTHER_DEPARTMENT',
    status: 403,
    message: "only supervisors read another department's assessment",
  },
});
