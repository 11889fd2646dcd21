import { EventTypes } from '@credit/contracts';

/**
 * The canonical order of an entry's trail (decision 0011): by the event's own time, then by a rank
 * that puts causes before their effects when they share a time (trigger stamps the assignments it issues
 * or lifts with the time of the list-entry event that caused them), then by event id. It depends only on
 * the events, never on the order they arrived in, so a replay orders them the same.
 */
const RANK: Record<string, number> = {
  [EventTypes.listEntryPublished]: 0,
  [EventTypes.listEntryAmended]: 0,
  [EventTypes.listEntryEnded]: 0,
  // the subject's due process: acts of the parties, before the entry's change they cause at the same
  // time (an approved repair ends the entry, an accepted statement revokes it, a resolved objection corrects
  // or withdraws it, in one transaction).
  // Below 0 so that no rank already stored in tracking.trail_unsealed changes meaning.
  [EventTypes.listEntryNoticed]: -1,
  [EventTypes.listEntryObjectionOpened]: -1,
  [EventTypes.listEntryObjectionResolved]: -1,
  [EventTypes.statementReceived]: -1,
  [EventTypes.statementAnswered]: -1,
  [EventTypes.repairSubmitted]: -1,
  [EventTypes.repairMaterialRequested]: -1,
  [EventTypes.repairMaterialSupplied]: -1,
  [EventTypes.repairAccepted]: -1,
  [EventTypes.repairDecided]: -1,
  [EventTypes.commitmentRecorded]: -1,
  [EventTypes.commitmentBroken]: -1,
  [EventTypes.commitmentKept]: -1,
  [EventTypes.repairWithdrawn]: -1,
  // closed because the entry ended: an effect of the end, after it
  [EventTypes.dueProcessClosed]: 0,
  [EventTypes.documentIssued]: 0,
  // an owner excluded a measure from the entry: before the lifts it causes, at the same time
  [EventTypes.measureExcluded]: 0,
  // a correction lifts the old generation, then issues the new one, at the same time
  [EventTypes.assignmentLifted]: 1,
  [EventTypes.assignmentIssued]: 2,
  // issued while the entry's measures are paused: issued, then suspended, at the same time
  [EventTypes.assignmentSuspended]: 3,
  [EventTypes.assignmentResumed]: 3,
  [EventTypes.assignmentsFannedOut]: 4,
  [EventTypes.feedbackAcknowledged]: 5,
  [EventTypes.feedbackEnforced]: 5,
  [EventTypes.feedbackNotApplicable]: 5,
  [EventTypes.feedbackLiftConfirmed]: 5,
  [EventTypes.checkHit]: 5,
  [EventTypes.checkDecided]: 5,
  [EventTypes.trackingOverdue]: 6,
  [EventTypes.listEntryAnonymised]: 6,
};
const UNKNOWN_RANK = 7;

export function trailRank(type: string): number {
  return RANK[type] ?? UNKNOWN_RANK;
}

/** The same rank as SQL, over a column holding the type (for records written before 0011). */
export function trailRankSql(column: string): string {
  const cases = Object.entries(RANK)
    .map(([type, rank]) => `WHEN '${type}' THEN ${rank}`)
    .join(' ');
  return `CASE ${column} ${cases} ELSE ${UNKNOWN_RANK} END`;
}

export interface TrailOrderKey {
  time: Date;
  rank: number;
  eventId: string;
}

/** Negative when `a` comes first in the canonical order. */
export function compareTrailOrder(a: TrailOrderKey, b: TrailOrderKey): number {
  return (
    a.time.getTime() - b.time.getTime() ||
    a.rank - b.rank ||
    (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}
