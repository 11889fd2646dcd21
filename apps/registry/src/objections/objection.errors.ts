import { defineErrors } from '@credit/platform';

/** OBJECTION.* codes (see docs/errors.md). */
export const ObjectionErrors = defineErrors({
  CLOSED: {
    code: 'OBJECTION.CLOSED',
    status: 409,
    message:
      'the objection was closed when its entry ended: there is nothing left to resolve (名单已终止，异议已终结)',
  },
  ALREADY_RESOLVED: {
    code: 'OBJECTION.ALREADY_RESOLVED',
    status: 409,
    message: 'the objection is already …; it cannot become … (异议已处理)',
  },
  ENTRY_NOT_IN_FORCE: {
    code: 'OBJECTION.ENTRY_NOT_IN_FORCE',
    status: 409,
    message: 'only a published entry can be disputed; this one is … (仅可对已公布的名单提出异议)',
  },
  ALREADY_OPEN: {
    code: 'OBJECTION.ALREADY_OPEN',
    status: 409,
    message: 'an objection to this entry is already open (已有未处理的异议)',
  },
  CORRECTION_REQUIRED: {
    code: 'OBJECTION.CORRECTION_REQUIRED',
    status: 422,
    message: 'a corrected outcome must say what changes: correction.facts and/or correction.period',
  },
  NOT_FOUND: {
    code: 'OBJECTION.NOT_FOUND',
    status: 404,
    message: 'objection … does not exist',
  },
});
