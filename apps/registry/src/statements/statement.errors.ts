import { defineErrors } from '@credit/platform';

/** STATEMENT.* codes (see docs/errors.md). */
export const StatementErrors = defineErrors({
  CLOSED: {
    code: 'STATEMENT.CLOSED',
    status: 409,
    message:
      'the statement was closed when its entry ended: there is nothing left to answer (名单已终止，陈述申辩已终结)',
  },
  ALREADY_ANSWERED: {
    code: 'STATEMENT.ALREADY_ANSWERED',
    status: 409,
    message: 'the statement is already … (陈述申辩已答复)',
  },
  NOT_FOUND: {
    code: 'STATEMENT.NOT_FOUND',
    status: 404,
    message: 'statement … does not exist',
  },
  ENTRY_NOT_NOTICED: {
    code: 'STATEMENT.ENTRY_NOT_NOTICED',
    status: 409,
    message: 'a statement is made on a noticed entry; this one is … (仅可在告知后陈述申辩)',
  },
  PERIOD_OVER: {
    code: 'STATEMENT.PERIOD_OVER',
    status: 409,
    message: 'the statement period ended at … (陈述申辩期已届满)',
  },
  REMEDY_REQUIRED: {
    code: 'STATEMENT.REMEDY_REQUIRED',
    status: 422,
    message: 'an accepted statement says what becomes of the entry: remedy revoked or corrected',
  },
  REMEDY_NOT_ALLOWED: {
    code: 'STATEMENT.REMEDY_NOT_ALLOWED',
    status: 422,
    message: 'a statement not accepted leaves the entry as it is: no remedy',
  },
});
