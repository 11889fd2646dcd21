import { defineErrors } from '@credit/platform';

/** EXCHANGE.* codes (see docs/errors.md). */
export const ExchangeErrors = defineErrors({
  KEY_INVALID: {
    code: 'EXCHANGE.KEY_INVALID',
    status: 422,
    message: 'publicKey must be an Ed25519 public key in PEM (SPKI)',
  },
  UNKNOWN_DEPARTMENT: {
    code: 'EXCHANGE.UNKNOWN_DEPARTMENT',
    status: 422,
    message: 'department … is not registered',
  },
  KEY_EXISTS: {
    code: 'EXCHANGE.KEY_EXISTS',
    status: 409,
    message: 'key … is already registered',
  },
  PARTNER_NOT_FOUND: {
    code: 'EXCHANGE.PARTNER_NOT_FOUND',
    status: 404,
    message: 'no partner key … is registered',
  },
  AGREEMENT_INVALID: {
    code: 'EXCHANGE.AGREEMENT_INVALID',
    status: 422,
    message: "an inbound agreement names the partner's list type",
  },
  UNKNOWN_PARTNER_REGION: {
    code: 'EXCHANGE.UNKNOWN_PARTNER_REGION',
    status: 422,
    message: 'no partner platform of region … is registered',
  },
  NOT_A_PARTNER: {
    code: 'EXCHANGE.NOT_A_PARTNER',
    status: 403,
    message: 'department … is not the platform of a registered partner region',
  },
  NO_SIGNING_KEY: {
    code: 'EXCHANGE.NO_SIGNING_KEY',
    status: 503,
    message: 'no EXCHANGE_SIGNING_KEY is configured: outbound documents are not signed (decision 0035)',
  },
  SCHEMA: {
    code: 'EXCHANGE.SCHEMA',
    status: 422,
    message: 'the document does not conform to credit-exchange/1 (docs/exchange/entry-exchange.schema.json)',
  },
  UNKNOWN_KEY: {
    code: 'EXCHANGE.UNKNOWN_KEY',
    status: 422,
    message: 'no active partner key … is registered',
  },
  KEY_OF_ANOTHER_PARTNER: {
    code: 'EXCHANGE.KEY_OF_ANOTHER_PARTNER',
    status: 403,
    message: 'key … belongs to another partner platform than …',
  },
  BAD_SIGNATURE: {
    code: 'EXCHANGE.BAD_SIGNATURE',
    status: 422,
    message: "the signature does not verify with key … over the document's canonical JSON",
  },
  ORIGIN_MISMATCH: {
    code: 'EXCHANGE.ORIGIN_MISMATCH',
    status: 422,
    message: 'key … signs for region …, not …',
  },
  VERSION_CONFLICT: {
    code: 'EXCHANGE.VERSION_CONFLICT',
    status: 409,
    message: 'version … of … was received with other content',
  },
  NO_AGREEMENT: {
    code: 'EXCHANGE.NO_AGREEMENT',
    status: 422,
    message: 'no recognition agreement with region … is in effect for its list type …',
  },
  COLOUR_MISMATCH: {
    code: 'EXCHANGE.COLOUR_MISMATCH',
    status: 422,
    message: "the colour of the origin's list differs from the colour of the list type it is recognised as",
  },
  SUBJECT_KIND_NOT_ALLOWED: {
    code: 'EXCHANGE.SUBJECT_KIND_NOT_ALLOWED',
    status: 422,
    message: 'list type … does not take subjects of kind …',
  },
  PERIOD_INVALID: {
    code: 'EXCHANGE.PERIOD_INVALID',
    status: 422,
    message: 'period.to must be after period.from',
  },
  UNKNOWN_ENTRY: {
    code: 'EXCHANGE.UNKNOWN_ENTRY',
    status: 422,
    message: 'no entry was received under this origin id; nothing to withdraw',
  },
  REVISION_NOT_SUPPORTED: {
    code: 'EXCHANGE.REVISION_NOT_SUPPORTED',
    status: 409,
    message:
      'the entry is already recognised under this origin id; a changed entry is withdrawn and sent anew',
  },
  ENTRY_ENDED: {
    code: 'EXCHANGE.ENTRY_ENDED',
    status: 409,
    message: 'the entry received under this origin id has ended here',
  },
});
