import { EntityManager } from 'typeorm';
import { actsAsParty, partyRight, Principal } from '@credit/auth';
import type { FilerRole } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { loadOwnedEntryForUpdate } from './list-entry.access';
import { ListEntry } from './list-entry.entity';
import { SubjectErrors } from '../subjects/subject.errors';

/** Who filed something about an entry, as recorded with it. */
export interface Filer {
  role: FilerRole;
  /** the person or clerk (the token's `sub`) */
  by: string;
  /** the clerk's or initiator's department; null for the subject */
  dept: string | null;
  /** the identifier of the subject or related person it was filed for */
  onBehalfOf: string;
}

export const notAParty = () =>
  new DomainError({
    error: SubjectErrors.NOT_A_PARTY,
    detail: 'the caller is not a party to this entry (非本主体名单，无权操作)',
  });

/** Identifiers are stored normalised (trimmed, upper case). */
export const normaliseIdentifier = (id: string) => id.trim().toUpperCase();

/**
 * Loads an entry, locked, for a filing by one of its parties or by its owner's initiator. A subject or
 * counter clerk that is not a party gets 403 `SUBJECT.NOT_A_PARTY` — also for an entry that does not
 * exist, so that entry ids cannot be probed; an initiator is held to the owner's rule.
 */
export async function loadEntryForFiling(
  manager: EntityManager,
  id: string,
  principal: Principal,
  actingFor: string | null | undefined,
): Promise<{ entry: ListEntry; filer: Filer }> {
  if (!actsAsParty(principal)) {
    const entry = await loadOwnedEntryForUpdate(manager, id, principal);
    return {
      entry,
      filer: { role: 'initiator', by: principal.sub, dept: principal.dept, onBehalfOf: entry.subjectId },
    };
  }
  const entry = await manager.findOne(ListEntry, { where: { id }, lock: { mode: 'pessimistic_write' } });
  const right = entry
    ? partyRight(
        principal,
        {
          subjectIds: [entry.subjectId, ...entry.subjectLegacyIds],
          relatedPersons: entry.relatedPersons,
        },
        // an optional field may come as null
        typeof actingFor === 'string' ? normaliseIdentifier(actingFor) : undefined,
      )
    : null;
  if (!entry || !right) throw notAParty();
  return {
    entry,
    filer: {
      role: right.filer,
      by: principal.sub,
      dept: right.filer === 'subject' ? null : principal.dept,
      onBehalfOf: right.onBehalfOf,
    },
  };
}
