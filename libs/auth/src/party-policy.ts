import type { RelatedRole } from '@credit/contracts';
import { Principal } from './principal';

/**
 * Who is a party to a list entry (API.md "The listed subject as a party", decision 0024): the listed
 * subject itself (by any of its identifiers), a related person the entry binds (a legal representative,
 * a principal), or the credit office's counter staff acting for one of those. One place decides it; the
 * routes of statements, objections, repair and the record ask here.
 */

/** The facts of an entry its parties are judged by. */
export interface EntryParties {
  /** the listed subject's identifier and its legacy identifiers */
  subjectIds: readonly string[];
  relatedPersons: readonly { id: string; role: RelatedRole }[];
}

export type PartyRelation = 'subject' | RelatedRole;

export interface PartyRight {
  /** how the represented person stands to the entry */
  relation: PartyRelation;
  /** the identifier of the subject or related person the caller is or acts for (recorded on a filing) */
  onBehalfOf: string;
  /** `credit_office` when counter staff file for the person, `subject` when the person itself does */
  filer: 'subject' | 'credit_office';
}

/** The roles that act as a party (an owner's initiator acts under the owner's rules instead). */
export function actsAsParty(principal: Principal): boolean {
  return principal.roles.includes('subject') || principal.roles.includes('credit_office');
}

/** How `identifier` stands to the entry, or null when it is neither the subject nor a related person. */
export function relationOf(entry: EntryParties, identifier: string): PartyRelation | null {
  if (entry.subjectIds.includes(identifier)) return 'subject';
  return entry.relatedPersons.find((p) => p.id === identifier)?.role ?? null;
}

/**
 * Whether the caller is a party to the entry. A `subject` token is a party for its own identifier (`sub`);
 * a `credit_office` clerk is one when it names (`actingFor`) the identifier of the person at the counter
 * and that person is the subject or a related person. Every other caller: null.
 */
export function partyRight(principal: Principal, entry: EntryParties, actingFor?: string): PartyRight | null {
  if (principal.roles.includes('subject')) {
    const relation = relationOf(entry, principal.sub);
    return relation ? { relation, onBehalfOf: principal.sub, filer: 'subject' } : null;
  }
  if (principal.roles.includes('credit_office') && actingFor) {
    const relation = relationOf(entry, actingFor);
    return relation ? { relation, onBehalfOf: actingFor, filer: 'credit_office' } : null;
  }
  return null;
}

/** Only the listed subject itself (not a related person) may dispute or repair what was decided about it. */
export function isPartyInOwnRight(right: PartyRight | null): boolean {
  return right?.relation === 'subject';
}
