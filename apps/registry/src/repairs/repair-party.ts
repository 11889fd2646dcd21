import { isSubjectOf, Principal, supervises } from '@credit/auth';
import { SubjectErrors } from '../subjects/subject.errors';
import type { FilerRole } from '@credit/contracts';
import { DomainError } from '@credit/platform';

/** Who filed something on an entry, as the due-process events name them. */
export interface Filer {
  role: FilerRole;
  /** the counter's or the initiator's department; null for the subject itself */
  dept: string | null;
}

/** The entry's own identifiers (its unified code or ID number, and legacy codes). */
export interface PartyFacts {
  ownerDept: string;
  subjectIds: readonly string[];
}

const normalised = (id: string) => id.trim().toUpperCase();

/**
 * The caller as a party to an entry (API.md "The listed subject as a party"): the subject itself (its
 * token's `sub` is one of the entry's identifiers), the credit office's counter acting for the subject
 * it names in `onBehalfOf`, or an initiator of the owning department. Anyone else: 403.
 */
export function filerOf(principal: Principal, entry: PartyFacts, onBehalfOf?: string | null): Filer {
  if (principal.roles.includes('subject')) {
    if (isSubjectOf(principal, entry.subjectIds)) return { role: 'subject', dept: null };
  } else if (principal.roles.includes('initiator') && principal.dept === entry.ownerDept) {
    return { role: 'initiator', dept: principal.dept };
  } else if (principal.roles.includes('credit_office')) {
    if (!onBehalfOf?.trim()) {
      throw new DomainError({
        error: SubjectErrors.ON_BEHALF_OF_REQUIRED,
        detail: 'the counter names the subject it acts for (代为办理须注明主体)',
        field: 'onBehalfOf',
      });
    }
    if (entry.subjectIds.includes(normalised(onBehalfOf)))
      return { role: 'credit_office', dept: principal.dept };
  }
  throw new DomainError({
    error: SubjectErrors.NOT_A_PARTY,
    detail:
      'only the listed subject, the counter acting for it, or the owning department may do this (非本主体)',
  });
}

/**
 * Who reads an application: the subject, the owning department, the counter's department that filed
 * it, and supervisors (of the owner's region when their token names one).
 */
export function mayReadApplication(
  principal: Principal,
  application: { ownerDept: string; filedByDept: string | null; filedByRole: FilerRole },
  entry: { subjectIds: readonly string[]; ownerRegion: string | null },
): boolean {
  if (principal.roles.includes('subject')) return isSubjectOf(principal, entry.subjectIds);
  if (principal.roles.includes('initiator') && principal.dept === application.ownerDept) return true;
  if (
    principal.roles.includes('credit_office') &&
    application.filedByRole === 'credit_office' &&
    principal.dept === application.filedByDept
  )
    return true;
  return supervises(principal, entry.ownerRegion);
}
