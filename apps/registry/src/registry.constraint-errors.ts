import type { ConstraintErrorTable } from '@credit/platform';
import { ListEntryErrors } from './list-entries/list-entry.errors';

/**
 * The registry's database constraints that stand for a domain rule, and the error a violation answers
 * with. The use cases check first; a constraint catches what the checks cannot see (two requests racing).
 * Loaded by RegistryModule; registry.constraint-errors.spec.ts checks every name exists in a migration.
 */
export const REGISTRY_CONSTRAINT_ERRORS: ConstraintErrorTable = {
  // the exclusion constraint behind publishEntry's overlap check
  list_entries_no_overlap: ListEntryErrors.OVERLAPPING,
};
