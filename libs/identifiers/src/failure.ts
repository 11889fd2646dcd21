import { IDENTIFIER_INPUT_ERROR_CODE, IdentifierCodes } from './identifier.errors';

/** Stable error codes returned by the validators; clients and other services match on these, never on text. */
export type IdentifierErrorCode = (typeof IdentifierCodes)[keyof typeof IdentifierCodes];

/** Short machine name of the rule that failed (useful for UI hints and metrics). */
export type IdentifierRule =
  | 'length'
  | 'character'
  | 'authority'
  | 'category'
  | 'region'
  | 'organization_code'
  | 'birthdate'
  | 'checksum';

export interface IdentifierFailure {
  readonly ok: false;
  readonly code: IdentifierErrorCode;
  readonly rule: IdentifierRule;
  /** Chinese first, then English, separated by " / ". For display only. */
  readonly message: string;
}

export const identifierFailure = (
  code: IdentifierErrorCode,
  rule: IdentifierRule,
  zh: string,
  en: string,
): IdentifierFailure => ({ ok: false, code, rule, message: `${zh} / ${en}` });

/**
 * Thrown only for programmer errors (e.g. a check-character helper fed the wrong number of characters);
 * user input always yields an IdentifierFailure instead.
 */
export class IdentifierInputError extends Error {
  readonly code = IDENTIFIER_INPUT_ERROR_CODE;

  constructor(message: string) {
    super(message);
    this.name = 'IdentifierInputError';
  }
}
