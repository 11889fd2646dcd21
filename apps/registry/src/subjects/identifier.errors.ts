import { IdentifierCodes, type IdentifierErrorCode } from '@credit/identifiers';
import { defineErrors, ErrorSpec } from '@credit/platform';

/**
 * SUBJECT.INVALID_* codes: the identifier validators' failures (libs/identifiers), each a 422 naming the
 * field and the rule (`rule` member). The validators return the code; this catalogue gives its status.
 */
export const IdentifierErrors = defineErrors({
  INVALID_USCC_LENGTH: {
    code: IdentifierCodes.INVALID_USCC_LENGTH,
    status: 422,
    message: 'a unified social credit code has 18 characters',
  },
  INVALID_USCC_CHARACTER: {
    code: IdentifierCodes.INVALID_USCC_CHARACTER,
    status: 422,
    message: 'a unified social credit code uses digits and capital letters other than I, O, S, V and Z',
  },
  INVALID_USCC_AUTHORITY: {
    code: IdentifierCodes.INVALID_USCC_AUTHORITY,
    status: 422,
    message:
      'the first character (registering authority) of the unified social credit code is not a known one',
  },
  INVALID_USCC_CATEGORY: {
    code: IdentifierCodes.INVALID_USCC_CATEGORY,
    status: 422,
    message: 'the second character (organisation category) does not fit the registering authority',
  },
  INVALID_USCC_REGION: {
    code: IdentifierCodes.INVALID_USCC_REGION,
    status: 422,
    message: 'characters 3–8 of the unified social credit code are not a known administrative division',
  },
  INVALID_USCC_ORG_CODE: {
    code: IdentifierCodes.INVALID_USCC_ORG_CODE,
    status: 422,
    message: 'the organisation code inside the unified social credit code fails its own check',
  },
  INVALID_USCC_CHECKSUM: {
    code: IdentifierCodes.INVALID_USCC_CHECKSUM,
    status: 422,
    message: 'the check character of the unified social credit code is wrong',
  },
  INVALID_ORG_CODE_LENGTH: {
    code: IdentifierCodes.INVALID_ORG_CODE_LENGTH,
    status: 422,
    message: 'an organisation code has 9 characters',
  },
  INVALID_ORG_CODE_CHARACTER: {
    code: IdentifierCodes.INVALID_ORG_CODE_CHARACTER,
    status: 422,
    message: 'an organisation code uses digits and capital letters',
  },
  INVALID_ORG_CODE_CHECKSUM: {
    code: IdentifierCodes.INVALID_ORG_CODE_CHECKSUM,
    status: 422,
    message: 'the check character of the organisation code is wrong',
  },
  INVALID_ID_LENGTH: {
    code: IdentifierCodes.INVALID_ID_LENGTH,
    status: 422,
    message: 'a resident ID number has 18 characters (or 15 for an old one)',
  },
  INVALID_ID_CHARACTER: {
    code: IdentifierCodes.INVALID_ID_CHARACTER,
    status: 422,
    message: 'a resident ID number uses digits, the last may be X',
  },
  INVALID_ID_REGION: {
    code: IdentifierCodes.INVALID_ID_REGION,
    status: 422,
    message: 'the first six digits of the ID number are not a known administrative division',
  },
  INVALID_ID_BIRTHDATE: {
    code: IdentifierCodes.INVALID_ID_BIRTHDATE,
    status: 422,
    message: 'the birth date in the ID number is not a real date',
  },
  INVALID_ID_CHECKSUM: {
    code: IdentifierCodes.INVALID_ID_CHECKSUM,
    status: 422,
    message: 'the check character of the ID number is wrong',
  },
  INVALID_REG_NO_LENGTH: {
    code: IdentifierCodes.INVALID_REG_NO_LENGTH,
    status: 422,
    message: 'a registration number has 15 digits',
  },
  INVALID_REG_NO_CHARACTER: {
    code: IdentifierCodes.INVALID_REG_NO_CHARACTER,
    status: 422,
    message: 'a registration number uses digits only',
  },
  INVALID_REG_NO_REGION: {
    code: IdentifierCodes.INVALID_REG_NO_REGION,
    status: 422,
    message: 'the first six digits of the registration number are not a known administrative division',
  },
  INVALID_REG_NO_CHECKSUM: {
    code: IdentifierCodes.INVALID_REG_NO_CHECKSUM,
    status: 422,
    message: 'the check digit of the registration number is wrong',
  },
  INVALID_IDENTIFIER_LENGTH: {
    code: IdentifierCodes.INVALID_IDENTIFIER_LENGTH,
    status: 422,
    message: 'the identifier has no length any identifier type has',
  },
});

type Declared = (typeof IdentifierErrors)[keyof typeof IdentifierErrors]['code'];
// a failure code the validators gain without an entry here fails to compile
const everyCodeDeclared: [Exclude<IdentifierErrorCode, Declared>] extends [never] ? true : never = true;
void everyCodeDeclared;

const BY_CODE: ReadonlyMap<string, ErrorSpec> = new Map(
  Object.values(IdentifierErrors).map((e) => [e.code, e]),
);

/** The catalogue entry of a validator's failure code. */
export function identifierError(code: IdentifierErrorCode): ErrorSpec {
  return BY_CODE.get(code)!;
}
