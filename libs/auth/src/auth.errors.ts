import { defineErrors } from '@credit/contracts';

/**
 * AUTH.* codes: the 401 and 403 every route can answer. Thrown as Nest's own exceptions with the code in
 * the body (this library sits below the platform's DomainError); problem details pass the code on.
 */
export const AuthErrors = defineErrors({
  TOKEN_MISSING: {
    code: 'AUTH.TOKEN_MISSING',
    status: 401,
    message: 'a bearer token is required',
  },
  TOKEN_INVALID: {
    code: 'AUTH.TOKEN_INVALID',
    status: 401,
    message: 'the bearer token is not valid (signature, issuer, audience, age or claims)',
  },
  UNKNOWN_DEPARTMENT: {
    code: 'AUTH.UNKNOWN_DEPARTMENT',
    status: 401,
    message: 'the token names a department that is not registered',
  },
  ROLE_NOT_ALLOWED: {
    code: 'AUTH.ROLE_NOT_ALLOWED',
    status: 401,
    message: 'the token gives its department a role the department may not hold',
  },
  ROLE_FORBIDDEN: {
    code: 'AUTH.ROLE_FORBIDDEN',
    status: 403,
    message: 'the route needs a role the token does not have',
  },
});
