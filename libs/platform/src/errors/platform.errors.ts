import { defineCodes, defineErrors } from '../domain-error';

/** Codes every route can answer, raised by the platform itself rather than by a feature. */
export const PlatformErrors = defineErrors({
  VALIDATION_FAILED: {
    code: 'VALIDATION.FAILED',
    status: 400,
    message: 'fields of the request are not valid; `errors` names each field, its rule and why',
  },
  REQUEST_MALFORMED: {
    code: 'REQUEST.MALFORMED',
    status: 400,
    message: 'the request cannot be read (a body the server could not parse)',
  },
  INTERNAL_UNEXPECTED: {
    code: 'INTERNAL.UNEXPECTED',
    status: 500,
    message: 'an unexpected error occurred; quote the correlation id when reporting it',
  },
  INPUT_CONTROL_CHARACTER: {
    code: 'INPUT.CONTROL_CHARACTER',
    status: 400,
    message: 'a control character or a lone surrogate in the request; `errors` names the fields',
  },
  INPUT_TOO_DEEP: {
    code: 'INPUT.TOO_DEEP',
    status: 400,
    message: 'the JSON body nests deeper than the API ever does',
  },
  INPUT_MALFORMED_JSON: {
    code: 'INPUT.MALFORMED_JSON',
    status: 400,
    message: 'the request body is empty or not valid JSON',
  },
  QUOTA_EXCEEDED: {
    code: 'QUOTA.EXCEEDED',
    status: 429,
    message: 'too many requests of this kind; try again after `Retry-After` seconds',
  },
});

/** `HTTP.*`: an HTTP error no feature gave a code (an unknown route, a wrong method), by its status. */
export const HttpErrors = defineErrors({
  BAD_REQUEST: { code: 'HTTP.BAD_REQUEST', status: 400, message: 'Bad Request' },
  UNAUTHORIZED: { code: 'HTTP.UNAUTHORIZED', status: 401, message: 'Unauthorized' },
  FORBIDDEN: { code: 'HTTP.FORBIDDEN', status: 403, message: 'Forbidden' },
  NOT_FOUND: { code: 'HTTP.NOT_FOUND', status: 404, message: 'Not Found: no such route' },
  CONFLICT: { code: 'HTTP.CONFLICT', status: 409, message: 'Conflict' },
  GONE: { code: 'HTTP.GONE', status: 410, message: 'Gone' },
  UNSUPPORTED_MEDIA_TYPE: {
    code: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    message: 'Unsupported Media Type: the body is not in a type the route reads',
  },
  UNPROCESSABLE_CONTENT: {
    code: 'HTTP.UNPROCESSABLE_CONTENT',
    status: 422,
    message: 'Unprocessable Content',
  },
  TOO_MANY_REQUESTS: { code: 'HTTP.TOO_MANY_REQUESTS', status: 429, message: 'Too Many Requests' },
  INTERNAL_SERVER_ERROR: {
    code: 'HTTP.INTERNAL_SERVER_ERROR',
    status: 500,
    message: 'Internal Server Error',
  },
  SERVICE_UNAVAILABLE: { code: 'HTTP.SERVICE_UNAVAILABLE', status: 503, message: 'Service Unavailable' },
});

/** The code of an HTTP error whose status has none of its own above (413 from a body too large, …). */
export const HttpOtherErrors = defineCodes('http', {
  ERROR: {
    code: 'HTTP.ERROR',
    message: 'an HTTP error of a status without its own code; the status says what went wrong',
  },
});
