import { EntityManager } from 'typeorm';
import type { EndReason } from '@credit/contracts';
import { Outbox } from '@credit/messaging';
import { Department } from '../departments/department.entity';
import type { ListEntry } from '../list-entries/list-entry.entity';
import type { ListType } from '../list-types/list-type.entity';
import { isOnPublicDisplay, publishedRecord, withdrawalReasonOf, withdrawnRecord } from './publication.rules';
import { appendToFeed, insertPublicEntries, PublicEntryRow, removePublicEntry } from './publication.store';

/*
 * The hooks of 公示 into the entry's life, called by the registry's use cases inside their transaction:
 * the public table and the feed change with the entry, or not at all. Each is a no-op for an entry that
 * is not (or was not) on public display.
 */

async function ownerName(manager: EntityManager, code: string): Promise<string> {
  return (await manager.findOneBy(Department, { code }))?.name ?? code;
}

function rowOf(
  entry: ListEntry,
  listType: ListType,
  owner: string,
  revision: number,
  at: Date,
): PublicEntryRow {
  return {
    record: publishedRecord(
      {
        entryId: entry.id,
        listType: {
          code: listType.code,
          name: listType.name,
          colour: listType.colour,
          severity: listType.severity,
        },
        ownerDept: { code: entry.ownerDept, name: owner },
        subject: { kind: entry.subjectKind, id: entry.subjectId, name: entry.subjectName },
        decision: { documentNo: entry.decisionDocumentNo, date: entry.decisionDate },
        period: entry.openEnded
          ? { from: entry.periodFrom ?? at, to: null, openEnded: true }
          : { from: entry.periodFrom ?? at, to: entry.periodTo },
        publishedAt: at,
      },
      revision,
    ),
    subjectId: entry.subjectId,
    subjectName: entry.subjectName,
    legacyIds: entry.subjectLegacyIds,
    periodTo: entry.openEnded ? null : entry.periodTo, // never expires: shown until it ends
  };
}

/** An entry was published (in force): on public display if its list type is public. */
export async function recordPublication(
  manager: EntityManager,
  outbox: Outbox,
  entry: ListEntry,
  listType: ListType,
  now: Date,
): Promise<void> {
  await recordPublications(manager, outbox, [entry], listType, now);
}

/** Many entries of one list type published at once (a bulk import in publish mode). */
export async function recordPublications(
  manager: EntityManager,
  outbox: Outbox,
  entries: ListEntry[],
  listType: ListType,
  now: Date,
  options: { bulk?: boolean } = {},
): Promise<void> {
  if (entries.length === 0 || !isOnPublicDisplay(listType)) return;
  const owners = new Map<string, string>();
  for (const code of new Set(entries.map((e) => e.ownerDept)))
    owners.set(code, await ownerName(manager, code));
  const rows = entries.map((e) => rowOf(e, listType, owners.get(e.ownerDept)!, 1, e.publishedAt ?? now));
  await insertPublicEntries(manager, rows);
  await appendToFeed(
    manager,
    outbox,
    rows.map((r) => ({ kind: 'published', data: r.record, at: now })),
    { bulk: options.bulk },
  );
}

/** An entry ended: its publication is withdrawn (终止公示) with the reason of the end. */
export async function recordWithdrawal(
  manager: EntityManager,
  outbox: Outbox,
  entry: ListEntry,
  reason: EndReason,
  now: Date,
): Promise<void> {
  const record = await removePublicEntry(manager, entry.id);
  if (!record) return;
  await appendToFeed(manager, outbox, [
    { kind: 'withdrawn', data: withdrawnRecord(record, withdrawalReasonOf(reason), now), at: now },
  ]);
}

/**
 * What the public sees of an entry in force changed (a correction of its period): the record shown is
 * withdrawn as `corrected` and the corrected one published as the next revision.
 */
export async function recordCorrection(
  manager: EntityManager,
  outbox: Outbox,
  entry: ListEntry,
  listType: ListType,
  now: Date,
): Promise<void> {
  const record = await removePublicEntry(manager, entry.id);
  if (!record) return;
  // on display since its first publication: the corrected revision keeps that date
  const row = rowOf(
    entry,
    listType,
    record.ownerDept.name,
    record.revision + 1,
    new Date(record.publishedAt),
  );
  await insertPublicEntries(manager, [row]);
  await appendToFeed(manager, outbox, [
    { kind: 'withdrawn', data: withdrawnRecord(record, 'corrected', now), at: now },
    { kind: 'published', data: row.record, at: now },
  ]);
}
