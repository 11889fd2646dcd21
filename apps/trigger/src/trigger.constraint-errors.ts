import type { ConstraintErrorTable } from '@credit/platform';
import { MeasureErrors } from './memoranda/measure.errors';
import { MemorandumErrors } from './memoranda/memorandum.errors';

/**
 * Trigger's database constraints that stand for a domain rule, and the error a violation answers with.
 * The use cases check first (`assertCodesFree`, the memorandum's lookup); two requests racing with the
 * same new code both pass the check and the second meets the constraint (CI's fuzz test saw a 500 so).
 * A change of a measure locks its current row, so only a new code reaches the measures' constraints.
 * Loaded by TriggerModule; test/trigger/demo-catalog.e2e-cases.ts races the routes and checks each name
 * on the migrated schema.
 */
export const TRIGGER_CONSTRAINT_ERRORS: ConstraintErrorTable = {
  memoranda_pkey: MemorandumErrors.ALREADY_EXISTS,
  measures_code_version_key: MeasureErrors.ALREADY_EXISTS,
  measures_one_current: MeasureErrors.ALREADY_EXISTS,
};
