/** Stable error codes returned by the validators; clients and other services match on these, never on text. */
export type IdentifierErrorCode =
  | 'SUBJECT.INVALID_USCC_LENGTH'
  | 'SUBJECT.INVALID_USCC_CHARACTER'
  | 'SUBJECT.INVALID_USCC_AUTHORITY'
  | 'SUBJECT.INVALID_USCC_CATEGORY'
  | 'SUBJECT.INVALID_USCC_REGION'
  | 'SUBJECT.INVALID_USCC_ORG_CODE'
  | 'SUBJECT.INVALID_USCC_CHECKSUM'
  | 'SUBJECT.INVALID_ORG_CODE_LENGTH'
  | 'SUBJECT.INVALID_ORG_CODE_CHARACTER'
  | 'SUBJECT.INVALID_ORG_CODE_CHECKSUM'
  | 'SUBJECT.INVALID_ID_LENGTH'
  | 'SUBJECT.INVALID_ID_CHARACTER'
  | 'SUBJECT.INVALID_ID_REGION'
  | 'SUBJECT.INVALID_ID_BIRTHDATE'
  | 'SUBJECT.INVALID_ID_CHECKSUM'
  | 'SUBJECT.INVALID_REG_NO_LENGTH'
  | 'SUBJECT.INVALID_REG_NO_CHARACTER'
  | 'SUBJECT.INVALID_REG_NO_REGION'
  | 'SUBJECT.INVALID_REG_NO_CHECKSUM'
  | 'SUBJECT.INVALID_IDENTIFIER_LENGTH';

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
  readonly code = 'IDENTIFIERS.INVALID_INPUT';

  constructor(message: string) {
    super(message);
    this.name = 'IdentifierInputError';
  }
}
