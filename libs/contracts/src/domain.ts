/** Vocabulary shared by every service (DOMAIN.md, API.md). */
export const SUBJECT_KINDS = [
  'legal_person',
  'unincorporated_org',
  'individual',
  'individual_business',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const RELATED_ROLES = ['legal_representative', 'principal'] as const;
export type RelatedRole = (typeof RELATED_ROLES)[number];

export const COLOURS = ['red', 'black'] as const;
export type Colour = (typeof COLOURS)[number];

export const INFO_CLASSES = ['A', 'B', 'C'] as const;
export type InfoClass = (typeof INFO_CLASSES)[number];

export const SEVERITIES = ['minor', 'general', 'serious'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const MEASURE_KINDS = ['punishment', 'incentive'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const ENFORCEMENT_MODES = ['block', 'warn', 'reference', 'priority'] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

/** Why an owner ends an entry (the end route's reasons). */
export const OWNER_END_REASONS = ['expired', 'repaired', 'revoked', 'corrected'] as const;
/**
 * Every reason an entry ends: the owner's, and `withdrawn_by_origin` — an entry received from a partner
 * region (区域联合奖惩) that the origin withdrew (decision 0035).
 */
export const END_REASONS = [...OWNER_END_REASONS, 'withdrawn_by_origin'] as const;
export type EndReason = (typeof END_REASONS)[number];

export const ROLES = [
  'admin',
  'initiator',
  'implementer',
  'supervisor',
  'system',
  // the listed subject itself (its token has no dept) and the credit office's counter staff acting for one
  'subject',
  'credit_office',
] as const;
export type Role = (typeof ROLES)[number];

export const OBJECTION_OUTCOMES = ['upheld', 'corrected', 'withdrawn'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];
