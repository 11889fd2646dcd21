import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { EntryAccessFacts, mayReadEntry, Principal, supervisedRegion } from '@credit/auth';
import type { InfoClass, Role } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { ListEntry } from './list-entry.entity';
import { ListEntryErrors } from './list-entry.errors';

/**
 * Who may read registry's entries (decision 0020). The information class decides, through
 * `@credit/auth`'s access policy; a caller who may not read an entry is told it does not exist.
 *
 * Class B is read by the owner, supervisors, the subject and the departments implementing a measure on
 * the list type, as trigger announces them (`registry.list_type_implementers`, decision 0023).
 */
export const ENTRY_READERS: Role[] = ['initiator', 'supervisor', 'implementer', 'system', 'admin', 'subject'];

/** The facts of an entry its readers are judged by, from its row, its list type and its owner. */
export function entryAccessFacts(
  entry: Pick<ListEntry, 'ownerDept' | 'subjectId' | 'subjectLegacyIds' | 'relatedPersons' | 'status'>,
  infoClass: InfoClass | null,
  ownerRegion: string | null,
  implementers: readonly string[] | null = null,
): EntryAccessFacts {
  return {
    infoClass,
    ownerDept: entry.ownerDept,
    ownerRegion,
    implementers: new Set(implementers ?? []),
    subjectIds: [entry.subjectId, ...entry.subjectLegacyIds, ...entry.relatedPersons.map((p) => p.id)],
    disclosed: entry.status === 'published' || entry.status === 'ended',
  };
}

/** An entry the caller may read; 404 (as if it did not exist) when it does not or the caller may not. */
export async function loadReadableEntry(
  db: DataSource,
  id: string,
  principal: Principal,
): Promise<ListEntry> {
  const entry = await db.getRepository(ListEntry).findOneBy({ id });
  const [facts]: { info_class: InfoClass | null; region: string | null; implementers: string[] | null }[] =
    entry
      ? await db.query(
          `SELECT (SELECT info_class FROM registry.list_types WHERE code = $1) AS info_class,
                  (SELECT region FROM registry.departments WHERE code = $2) AS region,
                  (SELECT depts FROM registry.list_type_implementers WHERE list_type = $1) AS implementers`,
          [entry.listType, entry.ownerDept],
        )
      : [];
  if (
    !entry ||
    !mayReadEntry(principal, entryAccessFacts(entry, facts.info_class, facts.region, facts.implementers))
  )
    throw new DomainError({ error: ListEntryErrors.NOT_FOUND, detail: `list entry ${id} does not exist` });
  return entry;
}

/**
 * Limits a list of a department's records (objections, repair applications) to what the caller may
 * see: its own department's, or for a supervisor every department's of its region (all without one).
 */
export function scopeToReader<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  ownerColumn: string,
  principal: Principal,
): SelectQueryBuilder<T> {
  if (!principal.roles.includes('supervisor'))
    return qb.andWhere(`${ownerColumn} = :readerDept`, { readerDept: principal.dept });
  const region = supervisedRegion(principal);
  if (region === undefined) return qb;
  return qb.andWhere(
    `${ownerColumn} IN (SELECT code FROM registry.departments WHERE region = :readerRegion)`,
    {
      readerRegion: region,
    },
  );
}

/** Whether the caller may read a record of `ownerDept` (an import): its own, or a supervisor's of its region. */
export async function mayReadDepartmentRecord(
  db: DataSource,
  principal: Principal,
  ownerDept: string,
): Promise<boolean> {
  if (principal.dept === ownerDept) return true;
  if (!principal.roles.includes('supervisor')) return false;
  const region = supervisedRegion(principal);
  if (region === undefined) return true;
  const [row]: { region: string }[] = await db.query(
    'SELECT region FROM registry.departments WHERE code = $1',
    [ownerDept],
  );
  return row?.region === region;
}
