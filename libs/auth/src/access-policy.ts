import type { InfoClass } from '@credit/contracts';
import { Principal } from './principal';

/**
 * Who may read what (API.md "What every caller may see", decision 0020). The rules live here, once;
 * controllers and handlers ask these functions and never re-state a rule.
 *
 * - Class A: everyone with a token (public). Class B: the owning department, the departments that
 *   implement a measure on the list type, supervisors and the subject itself. Class C: the owning
 *   department, supervisors and the subject only. Unknown class: treated as C (fail closed).
 * - A supervisor with a `region` claim sees only entries of departments in that region; without one
 *   (the city's credit office) all regions.
 * - An entry not yet published (draft, noticed) is seen by its owner, supervisors and the subject only.
 */

/** The supervisor role: reads every class, within its region. */
export function isSupervisor(principal: Principal): boolean {
  return principal.roles.includes('supervisor');
}

/** Whether the caller is the listed subject (or a related person) itself, by its verified identifier. */
export function isSubjectOf(principal: Principal, identifiers: readonly string[]): boolean {
  return principal.roles.includes('subject') && identifiers.includes(principal.sub);
}

/** A supervisor's region claim covers `region` (no claim: every region). Not a supervisor: false. */
export function supervises(principal: Principal, region: string | null | undefined): boolean {
  if (!isSupervisor(principal)) return false;
  return principal.region === undefined || principal.region === region;
}

/** The facts about an entry its readers are judged by. */
export interface EntryAccessFacts {
  infoClass: InfoClass | null | undefined;
  ownerDept: string;
  /** the owning department's region, for a supervisor's region claim (unknown: only unscoped supervisors) */
  ownerRegion?: string | null;
  /** the listed subject's identifiers (its own, legacy ones) and its related persons' */
  subjectIds: readonly string[];
  /**
   * Departments that implement a measure on the list type, as far as the reader knows them. A service
   * that does not know them passes nothing: class B is then read by owner, supervisors and subject only.
   */
  implementers?: { has(dept: string): boolean };
  /** published (or published then ended); false for a draft or a noticed entry */
  disclosed?: boolean;
}

export type EntryReadRight = 'owner' | 'supervisor' | 'subject' | 'public' | 'implementer';

/** Why the caller may read the entry, or null when it may not. */
export function entryReadRight(principal: Principal, entry: EntryAccessFacts): EntryReadRight | null {
  if (isSubjectOf(principal, entry.subjectIds)) return 'subject';
  if (principal.roles.includes('subject')) return null; // a subject reads only its own
  if (principal.dept === entry.ownerDept) return 'owner';
  if (supervises(principal, entry.ownerRegion)) return 'supervisor';
  if (entry.disclosed === false) return null;
  const infoClass = entry.infoClass ?? 'C';
  if (infoClass === 'A') return 'public';
  if (infoClass === 'B' && entry.implementers?.has(principal.dept)) return 'implementer';
  return null;
}

export function mayReadEntry(principal: Principal, entry: EntryAccessFacts): boolean {
  return entryReadRight(principal, entry) !== null;
}

/**
 * Class C is read by the owner, supervisors and the subject only: no other department may hold an
 * assignment on it, so fan-out issues a measure of another department on a class-C entry to no one.
 * A class not known (an entry from before classes were announced, or a snapshot without one) counts as
 * C — fail closed — until the registry announces it (decision 0023): then what was withheld is issued.
 */
export function measureMayReach(
  infoClass: InfoClass | null | undefined,
  ownerDept: string,
  measureDept: string,
) {
  return infoClass === 'A' || infoClass === 'B' || measureDept === ownerDept;
}

/** Checks answer from the caller's own department's measures, except for supervisors and admins. */
export function checkSeesEveryDepartment(principal: Principal): boolean {
  return principal.roles.includes('supervisor') || principal.roles.includes('admin');
}

/**
 * The region a supervisor's figures and lists are limited to: its claim, or undefined for every region.
 * Callers that are not supervisors are limited by their department elsewhere.
 */
export function supervisedRegion(principal: Principal): string | undefined {
  return isSupervisor(principal) ? principal.region : undefined;
}
