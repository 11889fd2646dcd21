import { defineErrors } from '@credit/platform';

/** ASSIGNMENT.* codes (see docs/errors.md). */
export const AssignmentErrors = defineErrors({
  ENTRY_REQUIRED: {
    code: 'ASSIGNMENT.ENTRY_REQUIRED',
    status: 422,
    message: 'an initiator must name the entry (entryId)',
  },
});
