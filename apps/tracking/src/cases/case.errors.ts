import { defineErrors } from '@credit/platform';

/** CASE.* codes (see docs/errors.md). */
export const CaseErrors = defineErrors({
  ILLEGAL_TRANSITION: {
    code: 'CASE.ILLEGAL_TRANSITION',
    status: 409,
    message: "the typical case's status does not allow this (典型案例状态不允许此操作)",
  },
  OUTSIDE_DEPARTMENT: {
    code: 'CASE.OUTSIDE_DEPARTMENT',
    status: 403,
    message: 'a department lists its own cases only',
  },
  DEPARTMENT_REGION_UNKNOWN: {
    code: 'CASE.DEPARTMENT_REGION_UNKNOWN',
    status: 422,
    message: 'department … has no registered region (部门未登记行政区划)',
  },
  ENTRY_UNKNOWN: {
    code: 'CASE.ENTRY_UNKNOWN',
    status: 422,
    message: 'no published list entry … (名单条目不存在或未公示)',
  },
  ENTRY_OUTSIDE_REGION: {
    code: 'CASE.ENTRY_OUTSIDE_REGION',
    status: 422,
    message: 'list entry … belongs to another region than … (非本地区名单条目)',
  },
  NOT_INVOLVED: {
    code: 'CASE.NOT_INVOLVED',
    status: 403,
    message: 'department … neither initiated list entry … nor implements a measure on it',
  },
  KIND_MISMATCH: {
    code: 'CASE.KIND_MISMATCH',
    status: 422,
    message: 'the kind of the typical case does not fit the colour of the list entry it rests on',
  },
  ASSIGNMENT_UNKNOWN: {
    code: 'CASE.ASSIGNMENT_UNKNOWN',
    status: 422,
    message: "assignment … is not an assignment of the case's entries",
  },
  NO_FEEDBACK: {
    code: 'CASE.NO_FEEDBACK',
    status: 422,
    message: 'assignment … has no enforcement feedback yet (尚无实施反馈)',
  },
  NOT_SCREENER: {
    code: 'CASE.NOT_SCREENER',
    status: 403,
    message: 'only the credit office screens and publishes cases (信用办筛选审定)',
  },
  NOT_PUBLIC_INFORMATION: {
    code: 'CASE.NOT_PUBLIC_INFORMATION',
    status: 422,
    message: 'list entry … is not class-A (public) information: the case cannot be published',
  },
  NOT_FOUND: {
    code: 'CASE.NOT_FOUND',
    status: 404,
    message: 'no typical case …',
  },
});
