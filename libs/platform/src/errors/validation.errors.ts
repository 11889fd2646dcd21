import { defineCodes } from '../domain-error';

/**
 * `VALIDATION.<RULE>`: the field codes in `errors` of a 400 `VALIDATION.FAILED` (and of an import's
 * rejected rows), one per broken rule. Most are class-validator's rule names (`isUuid` → `IS_UUID`,
 * `fieldCode`); a few are the platform's own checks (`CURSOR`, `DEPT`, …). A test checks every rule the
 * request classes declare has its entry here (scripts/errors-table.spec.ts).
 */
export const ValidationErrors = defineCodes('field', {
  // class-validator's rules, as the request classes use them
  IS_STRING: { code: 'VALIDATION.IS_STRING', message: 'the field must be a string' },
  IS_INT: { code: 'VALIDATION.IS_INT', message: 'the field must be an integer' },
  IS_NUMBER: {
    code: 'VALIDATION.IS_NUMBER',
    message: 'the field must be a number (with its decimal places)',
  },
  IS_BOOLEAN: { code: 'VALIDATION.IS_BOOLEAN', message: 'the field must be true or false' },
  IS_BOOLEAN_STRING: {
    code: 'VALIDATION.IS_BOOLEAN_STRING',
    message: 'the query parameter must be true or false',
  },
  IS_UUID: { code: 'VALIDATION.IS_UUID', message: 'the field (or path parameter) must be a UUID' },
  IS_ISO8601: {
    code: 'VALIDATION.IS_ISO8601',
    message: 'the field must be an ISO 8601 date or date-time',
  },
  IS_URL: { code: 'VALIDATION.IS_URL', message: 'the field must be an http(s) URL' },
  IS_IN: { code: 'VALIDATION.IS_IN', message: 'the field must be one of the values the API lists for it' },
  IS_ARRAY: { code: 'VALIDATION.IS_ARRAY', message: 'the field must be an array' },
  IS_OBJECT: { code: 'VALIDATION.IS_OBJECT', message: 'the field (or the body) must be a JSON object' },
  MATCHES: { code: 'VALIDATION.MATCHES', message: 'the field does not have the form the API gives for it' },
  MIN: { code: 'VALIDATION.MIN', message: 'the number is below the smallest allowed' },
  MAX: { code: 'VALIDATION.MAX', message: 'the number is above the largest allowed' },
  MIN_LENGTH: { code: 'VALIDATION.MIN_LENGTH', message: 'the string is shorter than allowed' },
  MAX_LENGTH: { code: 'VALIDATION.MAX_LENGTH', message: 'the string is longer than allowed' },
  ARRAY_NOT_EMPTY: { code: 'VALIDATION.ARRAY_NOT_EMPTY', message: 'the array must not be empty' },
  ARRAY_MIN_SIZE: { code: 'VALIDATION.ARRAY_MIN_SIZE', message: 'the array has fewer items than allowed' },
  ARRAY_MAX_SIZE: { code: 'VALIDATION.ARRAY_MAX_SIZE', message: 'the array has more items than allowed' },
  ARRAY_UNIQUE: { code: 'VALIDATION.ARRAY_UNIQUE', message: 'the array repeats an item' },
  NESTED_VALIDATION: {
    code: 'VALIDATION.NESTED_VALIDATION',
    message: 'the field must be an object (or an array of objects) of the documented shape',
  },
  WHITELIST_VALIDATION: {
    code: 'VALIDATION.WHITELIST_VALIDATION',
    message: 'the property is not part of the request: unknown properties are refused, not ignored',
  },
  UNKNOWN_VALUE: { code: 'VALIDATION.UNKNOWN_VALUE', message: 'the body is not an object the API reads' },
  // the platform's own checks
  CURSOR: { code: 'VALIDATION.CURSOR', message: 'the cursor is not one a previous page gave' },
  DEPT: { code: 'VALIDATION.DEPT', message: 'the parameter must be a department code' },
  EVENT_ID: { code: 'VALIDATION.EVENT_ID', message: 'Last-Event-ID is not an event id of this stream' },
  REQUIRED: { code: 'VALIDATION.REQUIRED', message: 'the parameter is required' },
});

/** The field code of a broken class-validator rule (`isUuid` → `VALIDATION.IS_UUID`). */
export function fieldCode(constraint: string): string {
  return `VALIDATION.${constraint.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}
