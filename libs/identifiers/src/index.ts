export { IdentifierCodes } from './identifier.errors';
export {
  IdentifierInputError,
  type IdentifierErrorCode,
  type IdentifierFailure,
  type IdentifierRule,
} from './failure';
export { normalizeIdentifier } from './normalize';
export {
  USCC_CATEGORY_TABLE,
  USCC_CHARSET,
  computeUsccCheckCharacter,
  validateUscc,
  type UsccOptions,
  type UsccResult,
  type ValidUscc,
} from './uscc';
export {
  computeOrganizationCheckCharacter,
  validateOrganizationCode,
  type OrganizationCodeResult,
  type ValidOrganizationCode,
} from './organization-code';
export {
  computeIdNumberCheckCharacter,
  upgradeLegacyIdNumber,
  validateIdNumber,
  type IdNumberOptions,
  type IdNumberResult,
  type ValidIdNumber,
} from './id-number';
export {
  computeRegistrationNumberCheckDigit,
  validateRegistrationNumber,
  type RegistrationNumberResult,
  type ValidRegistrationNumber,
} from './registration-number';
export {
  classifyIdentifier,
  legacyKeysOfUscc,
  looksLikeIdNumber,
  type ClassifiedIdentifier,
  type ClassifyOptions,
  type ClassifyResult,
  type IdentifierCandidate,
  type IdentifierType,
} from './classify-identifier';
export {
  validateSubjectIdentifier,
  type SubjectIdentifierOptions,
  type SubjectIdentifierResult,
  type ValidSubjectIdentifier,
} from './subject-identifier';
export { ageOn, birthDateOfIdNumber } from './birth-date';
export {
  isPersonForPublic,
  maskIdNumberForPublic,
  maskPersonNameForPublic,
  publicSubject,
  type PublicSubject,
} from './public-masking';
