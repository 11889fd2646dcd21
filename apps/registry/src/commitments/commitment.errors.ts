import { defineErrors } from '@credit/platform';

/** COMMITMENT.* codes (see docs/errors.md). */
export const CommitmentErrors = defineErrors({
  ALREADY_SETTLED: {
    code: 'COMMITMENT.ALREADY_SETTLED',
    status: 409,
    message: 'the commitment is already settled (kept or broken) and cannot be settled again (承诺已认定)',
  },
  MADE_IN_FUTURE: {
    code: 'COMMITMENT.MADE_IN_FUTURE',
    status: 422,
    message: 'madeOn cannot be after today',
  },
  ENTRY_REQUIRED: {
    code: 'COMMITMENT.ENTRY_REQUIRED',
    status: 422,
    message: 'a repair commitment names the entry it belongs to (entryId)',
  },
  ENTRY_NOT_FOUND: {
    code: 'COMMITMENT.ENTRY_NOT_FOUND',
    status: 422,
    message: 'list entry … does not exist',
  },
  ENTRY_OTHER_SUBJECT: {
    code: 'COMMITMENT.ENTRY_OTHER_SUBJECT',
    status: 422,
    message: 'the entry is about another subject than the commitment',
  },
  SETTLED_IN_FUTURE: {
    code: 'COMMITMENT.SETTLED_IN_FUTURE',
    status: 422,
    message: 'at cannot be in the future',
  },
  NOT_FOUND: {
    code: 'COMMITMENT.NOT_FOUND',
    status: 404,
    message: 'commitment … does not exist',
  },
  NOT_RECORDER: {
    code: 'COMMITMENT.NOT_RECORDER',
    status: 403,
    message: 'only …, to which the commitment was made, or the credit office may settle it',
  },
  SETTLED_BEFORE_RECORDED: {
    code: 'COMMITMENT.SETTLED_BEFORE_RECORDED',
    status: 422,
    message: 'at cannot be before the commitment was recorded',
  },
});
