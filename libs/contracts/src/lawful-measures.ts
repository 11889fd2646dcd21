import { Static, Type } from '@sinclair/typebox';
import { Instant, Text, Uuid } from './schema-types';

/**
 * 依法依规: the level of an instrument a measure rests on. `judicial_interpretation` (司法解释, e.g. the
 * Supreme People's Court's rules on defaulters) is the court's own; `central_document` is a document of
 * 党中央 or 国务院; a `memorandum` (合作备忘录) is an agreement between departments, not a source of law.
 */
export const LEGAL_BASIS_LEVELS = [
  'law',
  'administrative_regulation',
  'judicial_interpretation',
  'central_document',
  'department_rule',
  'local_regulation',
  'memorandum',
] as const;
export type LegalBasisLevel = (typeof LEGAL_BASIS_LEVELS)[number];

/**
 * Levels that may ground a punitive measure that blocks (国办发〔2020〕49号: 以法律、法规和党中央、国务院
 * 政策文件为依据; 立法法 art. 91: a department rule alone may not reduce rights).
 */
export const LAW_LEVELS: readonly LegalBasisLevel[] = [
  'law',
  'administrative_regulation',
  'judicial_interpretation',
  'central_document',
  'local_regulation',
];

/** Severity bands in order: a measure's minimum severity admits this band and the ones after it. */
export const SEVERITY_ORDER = ['minor', 'general', 'serious'] as const;

/**
 * An owner recorded that a listed entry does not take a measure (过惩相当): its binding assignments of
 * that measure are lifted and it is not issued again for the entry. On credit.assignments, keyed by the
 * subject's identifier like the entry's assignments.
 */
export const MeasureExcludedV1 = Type.Object({
  entryId: Uuid(),
  measureCode: Text(),
  dept: Text(),
  ownerDept: Text(),
  reason: Text(),
  by: Text(),
  at: Instant(),
});
export type MeasureExcludedV1 = Static<typeof MeasureExcludedV1>;
