import { EntityManager } from 'typeorm';
import { EndReason } from '@credit/contracts';
import { Outbox } from '@credit/messaging';
import { ListType } from '../list-types/list-type.entity';
import { recordOutboundWithdrawal } from '../exchange/exchange-outbound';
import { recordWithdrawal } from '../publication/publication.hooks';
import { closeOpenApplications } from './close-open-applications';
import { ListEntry } from './list-entry.entity';
import { endedMessage } from './list-entry.events';
import { nextListEntryStatus } from './list-entry.state-machine';

/**
 * Ends an entry (expiry, repair, revocation, correction) inside the caller's transaction. An entry that
 * was in force fans out lifts downstream; one that never was (noticed only) ends quietly. Statements,
 * objections and repair applications still open on it are closed with it (decision 0030): a caller
 * settling one of them saves it before ending the entry.
 */
export async function endEntry(
  manager: EntityManager,
  outbox: Outbox,
  entry: ListEntry,
  change: { reason: EndReason; note?: string | null; actorDept?: string; now: Date },
): Promise<ListEntry> {
  const wasInForce = entry.status === 'published';
  entry.status = nextListEntryStatus(entry.status, 'end');
  entry.endedAt = change.now;
  entry.endReason = change.reason;
  entry.endNote = change.note ?? null;
  entry.objectionOpen = false;
  const saved = await manager.save(entry);
  if (wasInForce) {
    const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
    await outbox.add(manager, [endedMessage(saved, listType, change.actorDept, change.now)]);
    await recordWithdrawal(manager, outbox, saved, change.reason, change.now); // 终止公示
    await recordOutboundWithdrawal(manager, saved, change.reason, change.now); // 区域联合奖惩
  }
  await closeOpenApplications(manager, outbox, saved, change.reason, change.actorDept, change.now);
  return saved;
}
