import { EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { loadOwnedEntryForUpdate } from '../list-entries/list-entry.access';
import { ListEntry } from '../list-entries/list-entry.entity';
import { ListType } from '../list-types/list-type.entity';
import { RepairApplication } from './repair-application.entity';
import { RepairErrors } from './repair.errors';

export const subjectIdsOf = (e: ListEntry) => [e.subjectId, ...e.subjectLegacyIds];

/**
 * An application and its entry, both locked (the entry first, as every change of an entry does); with a
 * principal, the entry must be the principal's department's.
 */
export async function loadRepairForUpdate(manager: EntityManager, id: string, principal?: Principal) {
  const found = await manager.findOneBy(RepairApplication, { id });
  if (!found)
    throw new DomainError({
      error: RepairErrors.NOT_FOUND,
      detail: `repair application ${id} does not exist`,
    });
  const entry = principal
    ? await loadOwnedEntryForUpdate(manager, found.entryId, principal)
    : await manager.findOneOrFail(ListEntry, {
        where: { id: found.entryId },
        lock: { mode: 'pessimistic_write' },
      });
  const application = await manager.findOneOrFail(RepairApplication, {
    where: { id },
    lock: { mode: 'pessimistic_write' },
  });
  return { application, entry };
}

/** What the owner's decisions act on: the application and its entry locked, with the entry's list type. */
export async function loadRepairAsOwner(manager: EntityManager, id: string, principal: Principal) {
  const { application, entry } = await loadRepairForUpdate(manager, id, principal);
  const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
  return { application, entry, listType };
}
