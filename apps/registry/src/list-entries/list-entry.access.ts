import { EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { ListEntry } from './list-entry.entity';
import { ListEntryErrors } from './list-entry.errors';

/** Loads an entry for a change, locked, and checks that the caller's department owns it. */
export async function loadOwnedEntryForUpdate(
  manager: EntityManager,
  id: string,
  principal: Principal,
): Promise<ListEntry> {
  const entry = await manager.findOne(ListEntry, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!entry)
    throw new DomainError({ error: ListEntryErrors.NOT_FOUND, detail: `list entry ${id} does not exist` });
  assertOwner(entry, principal);
  return entry;
}

export function assertOwner(entry: ListEntry, principal: Principal): void {
  if (entry.ownerDept !== principal.dept) {
    throw new DomainError({
      error: ListEntryErrors.NOT_OWNER,
      detail: `only the owning department ${entry.ownerDept} may act on this entry (仅认定部门可操作)`,
    });
  }
}
