import { EventTypes } from '@credit/contracts';
import { compareTrailOrder, trailRank, trailRankSql } from './trail-order';

describe('the canonical trail order', () => {
  const at = (iso: string, type: string, eventId: string) => ({
    time: new Date(iso),
    rank: trailRank(type),
    eventId,
  });

  it('orders by time first, whatever the type', () => {
    const issued = at('2026-11-23T01:00:00.000Z', EventTypes.assignmentIssued, 'b');
    const ended = at('2026-11-23T02:00:00.000Z', EventTypes.listEntryEnded, 'a');
    expect(compareTrailOrder(issued, ended)).toBeLessThan(0);
  });

  it('puts causes before effects stamped with the same time', () => {
    const t = '2026-11-23T01:00:00.000Z';
    const sorted = [
      at(t, EventTypes.assignmentsFannedOut, 'a'),
      at(t, EventTypes.assignmentSuspended, 'b'),
      at(t, EventTypes.assignmentIssued, 'c'),
      at(t, EventTypes.assignmentLifted, 'd'),
      at(t, EventTypes.listEntryPublished, 'e'),
    ].sort(compareTrailOrder);
    expect(sorted.map((k) => k.eventId)).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it("puts a party's act before the entry's change it causes at the same time", () => {
    const t = '2026-11-23T01:00:00.000Z';
    // event ids that would put the ending first if the rank did not decide
    const sorted = [
      at(t, EventTypes.assignmentLifted, 'a'),
      at(t, EventTypes.listEntryEnded, 'b'),
      at(t, EventTypes.repairDecided, 'c'),
    ].sort(compareTrailOrder);
    expect(sorted.map((k) => k.eventId)).toEqual(['c', 'b', 'a']);
    expect(
      compareTrailOrder(at(t, EventTypes.statementAnswered, 'z'), at(t, EventTypes.listEntryEnded, 'a')),
    ).toBeLessThan(0);
  });

  it('breaks remaining ties by event id, and knows every contract type', () => {
    const t = '2026-11-23T01:00:00.000Z';
    expect(
      compareTrailOrder(at(t, EventTypes.assignmentIssued, 'x'), at(t, EventTypes.assignmentIssued, 'y')),
    ).toBeLessThan(0);
    // every type that concerns an entry (a department's registration, reads, the webhook hosts and the
    // list types' classes and implementers never enter a trail)
    const notAboutEntries: string[] = [
      EventTypes.departmentRegistered,
      EventTypes.accessRecorded,
      EventTypes.webhookHostAllowed,
      EventTypes.webhookHostDisallowed,
      EventTypes.listTypeAnnounced,
      EventTypes.listTypeImplementers,
      // the publication feed is not read by the trail (TRAIL_TOPICS)
      EventTypes.publicationPublished,
      EventTypes.publicationWithdrawn,
    ];
    for (const type of Object.values(EventTypes).filter((t) => !notAboutEntries.includes(t)))
      expect(trailRank(type)).toBeLessThan(7);
    expect(trailRankSql('type')).toContain(`WHEN '${EventTypes.checkDecided}' THEN 5`);
  });
});
