import { defineErrors } from '@credit/platform';

/** DEPARTMENT.* codes (see docs/errors.md). */
export const DepartmentErrors = defineErrors({
  ALREADY_EXISTS: {
    code: 'DEPARTMENT.ALREADY_EXISTS',
    status: 409,
    message: 'department … is already registered',
  },
  NOT_FOUND: {
    code: 'DEPARTMENT.NOT_FOUND',
    status: 422,
    message: 'department … is not registered',
  },
});
